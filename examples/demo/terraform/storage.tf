# Object storage for the Payments API.

resource "aws_s3_bucket" "audit_logs" {
  bucket = "payments-audit-logs"

  tags = {
    system = "PAY-01"
  }
}

# Encryption for the audit bucket lives in its own resource (AWS provider v4+).
resource "aws_s3_bucket_server_side_encryption_configuration" "audit_logs" {
  bucket = aws_s3_bucket.audit_logs.id

  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm     = "aws:kms"
      kms_master_key_id = var.audit_kms_key_arn
    }
  }
}

# Deliberate gap: settlement statements are stored unencrypted.
resource "aws_s3_bucket" "statements" {
  bucket = "payments-settlement-statements"
}
