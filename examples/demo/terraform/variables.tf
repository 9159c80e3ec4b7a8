variable "audit_kms_key_arn" {
  description = "KMS key that encrypts the audit log bucket"
  type        = string
}
