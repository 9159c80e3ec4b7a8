"""Curated inputs for the SP 800-171 Rev 2 table (used by build_catalogs.py).

The crosswalk starts from the SP 800-171 Rev 3 OSCAL catalog: Rev 3 kept the
Rev 2 numbers (3.1.1 -> 03.01.01), withdrew some and appended new ones, and
links every active requirement to its SP 800-53 Rev 5 source controls. A Rev 2
requirement whose Rev 3 number is active and on the same topic takes those
links as they are (basis `same`). Everything else is listed here; the build
checks each entry against the Rev 3 file:

  rev3  Rev 3 requirements to take links from. For a number Rev 3 withdrew it
        must equal the requirements Rev 3 says it went to (incorporated_into /
        addressed_by), so a change upstream fails the build.
  keep  only these of the linked controls (default: all of them);
  drop  linked controls that belong to another Rev 2 requirement;
  add   controls Rev 3 does not link, taken from SP 800-171 Rev 2 Appendix D
        (which maps to SP 800-53 Rev 4) and translated to Rev 5 ids.
  why   one line for docs/frameworks.md.
"""

CROSSWALK = {
    # Same number, active in Rev 3, adjusted (basis `adjusted`).
    "3.1.12": dict(drop=["AC-17(3)", "AC-17(4)"], add=["AC-17(1)"],
                   why="AC-17(3)/(4) came with withdrawn 3.1.14/3.1.15; Appendix D's AC-17(1) is not linked by Rev 3"),
    "3.1.16": dict(drop=["AC-18(1)"], why="AC-18(1) came with withdrawn 3.1.17"),
    "3.1.18": dict(drop=["AC-19(5)"], why="AC-19(5) came with withdrawn 3.1.19"),
    "3.1.20": dict(drop=["AC-20(2)"], why="AC-20(2) came with withdrawn 3.1.21"),
    "3.2.1": dict(drop=["AT-2(2)"], why="AT-2(2) came with withdrawn 3.2.3"),
    "3.3.1": dict(rev3=["03.03.01", "03.03.03"], why="Rev 3 moved record creation/retention to 03.03.03 (Audit Record Generation)"),
    "3.3.3": dict(rev3=["03.03.01"], why="review/update of logged events is in 03.03.01; 03.03.03 is a different topic"),
    "3.3.7": dict(add=["SC-45(1)"], why="Appendix D's AU-8(1) (synchronisation) moved to SC-45(1) in Rev 5"),
    "3.3.8": dict(drop=["AU-9(4)"], why="AU-9(4) came with withdrawn 3.3.9"),
    "3.4.1": dict(rev3=["03.04.01", "03.04.10"], why="Rev 3 moved the inventory half to 03.04.10"),
    "3.4.6": dict(drop=["CM-7(1)"], why="CM-7(1) came with withdrawn 3.4.7"),
    "3.4.8": dict(add=["CM-7(4)"], why="Rev 3 dropped the deny-by-exception option Rev 2 allows"),
    "3.5.1": dict(rev3=["03.05.01", "03.05.02"], drop=["IA-11"], why="Rev 3 splits users (03.05.01) and devices (03.05.02)"),
    "3.5.2": dict(rev3=["03.05.01", "03.05.02", "03.05.12"], why="as 3.5.1, plus authenticators (03.05.12)"),
    "3.7.4": dict(keep=["MA-3(2)"], why="Rev 3 widened 03.07.04 to all maintenance tools (withdrawn 3.7.2)"),
    "3.13.8": dict(drop=["SC-28", "SC-28(1)"], why="storage came with withdrawn 3.13.16 and 3.8.6"),
    # Withdrawn in Rev 3 with a link (basis `withdrawn`, or `curated` when nothing is kept).
    "3.1.13": dict(rev3=["03.13.08"], keep=["SC-8(1)"], add=["AC-17(2)"], why="addressed by 03.13.08"),
    "3.1.14": dict(rev3=["03.01.12"], keep=["AC-17(3)"], why="incorporated into 03.01.12"),
    "3.1.15": dict(rev3=["03.01.12"], keep=["AC-17(4)"], why="incorporated into 03.01.12"),
    "3.1.17": dict(rev3=["03.01.16"], keep=["AC-18(1)"], why="incorporated into 03.01.16"),
    "3.1.19": dict(rev3=["03.01.18"], keep=["AC-19(5)"], why="incorporated into 03.01.18"),
    "3.1.21": dict(rev3=["03.01.20"], keep=["AC-20(2)"], why="incorporated into 03.01.20"),
    "3.2.3": dict(rev3=["03.02.01"], keep=["AT-2(2)"], why="incorporated into 03.02.01"),
    "3.3.9": dict(rev3=["03.03.08"], keep=["AU-9(4)"], why="incorporated into 03.03.08"),
    "3.4.7": dict(rev3=["03.04.06", "03.04.08"], keep=["CM-7(1)"], add=["CM-7(2)"], why="incorporated into 03.04.06 and 03.04.08"),
    "3.4.9": dict(rev3=["03.01.05", "03.01.06", "03.01.07", "03.04.08", "03.12.03"], keep=[], add=["CM-11"],
                  why="addressed by least privilege, allow-listing and monitoring; none links CM-11"),
    "3.5.10": dict(rev3=["03.05.07"], keep=["IA-5(1)"], why="incorporated into 03.05.07"),
    "3.7.2": dict(rev3=["03.07.04", "03.07.06"], keep=["MA-3", "MA-3(1)", "MA-3(2)", "MA-5"], why="incorporated into 03.07.04 and 03.07.06"),
    "3.7.3": dict(rev3=["03.08.03"], keep=["MP-6"], add=["MA-2"], why="incorporated into 03.08.03; MA-2 from Appendix D"),
    "3.8.6": dict(rev3=["03.13.08"], keep=["SC-28(1)"], why="incorporated into 03.13.08 (Rev 4 MP-5(4) is now SC-28(1))"),
    "3.8.8": dict(rev3=["03.08.07"], keep=["MP-7"], why="incorporated into 03.08.07 (Rev 4 MP-7(1) is now MP-7)"),
    "3.10.3": dict(rev3=["03.10.07"], keep=["PE-3"], why="incorporated into 03.10.07"),
    "3.10.4": dict(rev3=["03.10.07"], keep=["PE-3"], why="incorporated into 03.10.07"),
    "3.10.5": dict(rev3=["03.10.07"], keep=["PE-3"], why="incorporated into 03.10.07"),
    "3.11.3": dict(rev3=["03.11.02"], keep=["RA-5"], why="incorporated into 03.11.02"),
    "3.12.4": dict(rev3=["03.15.02"], keep=["PL-2"], why="incorporated into 03.15.02 (System Security Plan)"),
    "3.13.3": dict(rev3=["03.01.01", "03.01.02", "03.01.03", "03.01.04", "03.01.05", "03.01.06", "03.01.07"], keep=[], add=["SC-2"],
                   why="addressed by the access-control requirements; none links SC-2"),
    "3.13.5": dict(rev3=["03.13.01"], keep=["SC-7"], why="incorporated into 03.13.01"),
    "3.13.7": dict(rev3=["03.01.12", "03.04.02", "03.04.06"], keep=[], add=["SC-7(7)"],
                   why="addressed by remote access and configuration requirements; none links SC-7(7)"),
    "3.13.16": dict(rev3=["03.13.08"], keep=["SC-28"], why="incorporated into 03.13.08"),
    "3.14.4": dict(rev3=["03.14.02"], keep=["SI-3"], why="incorporated into 03.14.02"),
    "3.14.5": dict(rev3=["03.14.02"], keep=["SI-3"], why="addressed by 03.14.02"),
    "3.14.7": dict(rev3=["03.14.06"], keep=["SI-4"], why="incorporated into 03.14.06"),
    # Withdrawn in Rev 3 with no link (basis `curated`, or `none`).
    "3.5.6": dict(add=["AC-2(3)"], why="Rev 4 IA-4e (disable after inactivity) is AC-2(3)(d) in Rev 5"),
    "3.5.8": dict(add=["IA-5(1)"], why="closest Rev 5 control; IA-5(1) no longer names reuse generations"),
    "3.5.9": dict(add=["IA-5(1)"], why="closest Rev 5 control (IA-5(1)(e), selection after account recovery)"),
    "3.7.1": dict(add=["MA-2"], why="Appendix D: MA-2"),
    "3.13.2": dict(add=["SA-8"], why="Appendix D: SA-8 (linked by the new 03.16.01; Rev 3 gives 03.13.02 no link)"),
    "3.13.14": dict(why="Appendix D: SC-19, which Rev 5 withdrew (technology-specific); no active control"),
}

# Withdrawn in Rev 3 without any incorporated_into / addressed_by link.
NO_LINK = {"3.5.6", "3.5.8", "3.5.9", "3.7.1", "3.13.2", "3.13.14"}

# 32 CFR 170.21(a)(2)(ii)-(iii): 1-point requirements may be on a Level 2
# POA&M except these; 3.13.11 only when encryption is employed but is not
# FIPS-validated (the 3-point partial value).
POAM_EXCLUDED = {"3.1.20", "3.1.22", "3.12.4", "3.10.3", "3.10.4", "3.10.5"}
POAM_IF_PARTIAL = {"3.13.11"}

# Short titles written from the Rev 2 requirement text, where the Rev 3 title
# of the same number is missing (withdrawn) or names a different scope.
TITLES = {
    "3.1.1": "Limit System Access to Authorized Users",
    "3.1.6": "Non-privileged Access for Nonsecurity Functions",
    "3.1.13": "Remote Access Confidentiality",
    "3.1.14": "Remote Access via Managed Access Control Points",
    "3.1.15": "Privileged Remote Access",
    "3.1.17": "Wireless Access Protection",
    "3.1.19": "Encrypt CUI on Mobile Devices",
    "3.1.21": "Portable Storage Use on External Systems",
    "3.2.3": "Insider Threat Awareness",
    "3.3.1": "Create and Retain Audit Records",
    "3.3.2": "User Accountability",
    "3.3.3": "Review and Update Logged Events",
    "3.3.9": "Audit Logging Management",
    "3.4.1": "Baseline Configurations and Inventories",
    "3.4.7": "Nonessential Functionality",
    "3.4.8": "Software Execution Policy",
    "3.4.9": "User-installed Software",
    "3.5.1": "Identification",
    "3.5.2": "Authentication",
    "3.5.5": "Identifier Reuse",
    "3.5.6": "Disable Inactive Identifiers",
    "3.5.7": "Password Complexity",
    "3.5.8": "Password Reuse",
    "3.5.9": "Temporary Passwords",
    "3.5.10": "Cryptographically-protected Passwords",
    "3.7.1": "Perform Maintenance",
    "3.7.2": "Maintenance Tools and Personnel",
    "3.7.3": "Equipment Sanitization for Off-site Maintenance",
    "3.7.4": "Media Inspection for Maintenance",
    "3.8.6": "Portable Storage Encryption",
    "3.8.8": "Portable Storage Without an Identifiable Owner",
    "3.10.1": "Limit Physical Access",
    "3.10.3": "Escort Visitors",
    "3.10.4": "Physical Access Logs",
    "3.10.5": "Manage Physical Access Devices",
    "3.11.3": "Vulnerability Remediation",
    "3.12.4": "System Security Plan",
    "3.13.2": "Security Engineering Principles",
    "3.13.3": "Separate User and System Management Functionality",
    "3.13.5": "Subnetworks for Public Components",
    "3.13.7": "Split Tunneling",
    "3.13.8": "Transmission Confidentiality",
    "3.13.11": "FIPS-validated Cryptography",
    "3.13.14": "Voice over Internet Protocol",
    "3.13.16": "Confidentiality of CUI at Rest",
    "3.14.4": "Update Malicious Code Protection",
    "3.14.5": "System and File Scanning",
    "3.14.7": "Identify Unauthorized Use",
}
