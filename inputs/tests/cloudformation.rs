//! CloudFormation templates in YAML (short-form intrinsic tags) and JSON.

mod common;

use common::{by_id, fixtures, load_dir, render};
use serde_json::json;
use std::sync::Arc;
use tollgate_inputs::{parse_text, Format};

#[test]
fn templates_become_one_resource_per_entry() {
    let (_, resources) = load_dir(&fixtures("cloudformation"));
    insta::assert_snapshot!("cloudformation_resources", render(&resources));
    let ids: Vec<(&str, &str, &str)> = resources.iter().map(|r| (r.path.as_str(), r.kind.as_str(), r.id.as_str())).collect();
    assert_eq!(
        ids,
        [
            ("logging.yaml", "cfn:AWS::KMS::Key", "LogsKey"),
            ("logging.yaml", "cfn:AWS::S3::Bucket", "LogsBucket"),
            ("logging.yaml", "cfn:AWS::S3::Bucket", "ScratchBucket"),
            ("logging.yaml", "cfn:AWS::EC2::VPC", "Vpc"),
            ("logging.yaml", "cfn:AWS::EC2::Subnet", "PrivateSubnet"),
            ("logging.yaml", "cfn:AWS::EC2::Instance", "Bastion"),
            ("queue.template.json", "cfn:AWS::SQS::Queue", "DeadLetterQueue"),
            ("queue.template.json", "cfn:AWS::SQS::Queue", "OrdersQueue"),
            ("queue.template.json", "cfn:AWS::S3::Bucket", "OrdersBucket"),
            ("queue.template.json", "cfn:Custom::Provisioner", "ProvisionHook"),
        ]
    );
    let bucket = by_id(&resources, "LogsBucket");
    assert_eq!((bucket.lines.start, bucket.lines.end), (40, 57));
    assert_eq!(
        bucket
            .lines_of("Properties.BucketEncryption.ServerSideEncryptionConfiguration[0].ServerSideEncryptionByDefault.SSEAlgorithm")
            .start,
        48
    );
    assert_eq!(bucket.data.to_json()["DeletionPolicy"], "Retain");
    let queue = by_id(&resources, "OrdersQueue");
    assert_eq!(queue.lines_of("Properties.RedrivePolicy.maxReceiveCount").start, 19);
    assert_eq!(queue.data.to_json()["DependsOn"], "DeadLetterQueue");
}

#[test]
fn short_form_tags_arrive_in_long_form() {
    let (_, resources) = load_dir(&fixtures("cloudformation"));
    let props = |id: &str| by_id(&resources, id).data.to_json()["Properties"].clone();
    let bucket = props("LogsBucket");
    assert_eq!(bucket["BucketName"], json!({"Fn::Join": ["-", ["acme", {"Ref": "Environment"}, "logs"]]}));
    let default = &bucket["BucketEncryption"]["ServerSideEncryptionConfiguration"][0]["ServerSideEncryptionByDefault"];
    assert_eq!(default["SSEAlgorithm"], json!({"Fn::If": ["UseKms", "aws:kms", "AES256"]}));
    assert_eq!(default["KMSMasterKeyID"], json!({"Fn::If": ["UseKms", {"Fn::GetAtt": ["LogsKey", "Arn"]}, {"Ref": "AWS::NoValue"}]}));
    assert_eq!(props("ScratchBucket")["BucketName"], json!({"Fn::Sub": ["acme-${Env}-scratch", {"Env": {"Ref": "Environment"}}]}));
    let key = props("LogsKey");
    assert_eq!(
        key["KeyPolicy"]["Statement"][0]["Principal"]["AWS"],
        json!({"Fn::Sub": "arn:${AWS::Partition}:iam::${AWS::AccountId}:root"})
    );
    let subnet = props("PrivateSubnet");
    assert_eq!(subnet["AvailabilityZone"], json!({"Fn::Select": [0, {"Fn::GetAZs": ""}]}));
    assert_eq!(subnet["CidrBlock"], json!({"Fn::Select": [0, {"Fn::Cidr": [{"Fn::GetAtt": ["Vpc", "CidrBlock"]}, 4, 8]}]}));
    let bastion = props("Bastion");
    assert_eq!(bastion["ImageId"], json!({"Fn::FindInMap": ["RegionMap", {"Ref": "AWS::Region"}, "AMI"]}));
    assert_eq!(bastion["SubnetId"], json!({"Fn::ImportValue": "shared-network-SubnetId"}));
    assert_eq!(bastion["SecurityGroups"], json!({"Fn::Split": [",", {"Fn::ImportValue": "shared-network-SecurityGroups"}]}));
    assert_eq!(bastion["UserData"]["Fn::Base64"]["Fn::Sub"], "#!/bin/bash\necho ${Environment} > /etc/environment-name\n");

    // Conditions are not resources, but the tags inside them convert the same way.
    let text: Arc<str> = Arc::from(std::fs::read_to_string(fixtures("cloudformation").join("logging.yaml")).unwrap());
    let docs = tollgate_inputs::formats::yaml::parse("logging.yaml", &text).unwrap();
    let conditions = docs[0].root.to_json()["Conditions"].clone();
    assert_eq!(conditions["IsProd"], json!({"Fn::Equals": [{"Ref": "Environment"}, "prod"]}));
    assert_eq!(conditions["IsNotProd"], json!({"Fn::Not": [{"Condition": "IsProd"}]}));
    assert_eq!(
        conditions["UseKms"],
        json!({"Fn::And": [{"Condition": "IsProd"}, {"Fn::Or": [
            {"Fn::Equals": [{"Ref": "AWS::Region"}, "us-east-1"]},
            {"Fn::Equals": [{"Ref": "AWS::Region"}, "us-west-2"]}
        ]}]})
    );
}

#[test]
fn templates_without_a_version_are_recognised_by_resource_types() {
    let sam: Arc<str> = Arc::from(
        "Transform: AWS::Serverless-2016-10-31\nResources:\n  Api:\n    Type: AWS::Serverless::Function\n    Properties:\n      Runtime: python3.12\n",
    );
    let r = parse_text(Format::YAML, "template.yaml", &sam).unwrap();
    assert_eq!((r[0].kind.as_str(), r[0].id.as_str(), r[0].lines.start), ("cfn:AWS::Serverless::Function", "Api", 3));
    assert_eq!(r[0].attributes["source"], "cloudformation");
    // A Kubernetes object or an ordinary document is not a template.
    let other: Arc<str> = Arc::from("Resources:\n  cpu: 2\n");
    assert_eq!(parse_text(Format::YAML, "values.yaml", &other).unwrap()[0].kind, "yaml:document");
}
