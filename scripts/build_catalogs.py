#!/usr/bin/env python3
"""Generate Tollgate's compact catalog tables from the reference data.

Usage: python3 scripts/build_catalogs.py [REFERENCE_DIR] [--out DIR]

REFERENCE_DIR defaults to ../shared/reference relative to the repository
root; --out defaults to engine/data. Python 3.11, standard library only.
The output is deterministic: running it twice on the same inputs gives
byte-identical files (engine/tests/catalog.rs checks the committed tables
against a fresh run when TOLLGATE_REFERENCE is set).

Outputs (tab-separated, UTF-8, '#' comment lines carry provenance):
  nist-800-53-r5.tsv  every SP 800-53 Rev 5 control and enhancement with its
                      short title, status and NIST / FedRAMP baseline membership
  nist-800-171-r2.tsv the 110 SP 800-171 Rev 2 requirements with SPRS points,
                      CMMC Level 2 practice id, POA&M eligibility and the
                      crosswalk to SP 800-53 Rev 5

Only ids, short titles and facts are written; no prose from the sources.
See docs/frameworks.md for the method and its caveats.
"""

import argparse
import csv
import hashlib
import io
import json
import re
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

sys.dont_write_bytecode = True  # keep scripts/ free of __pycache__
from crosswalk_171 import CROSSWALK, NO_LINK, POAM_EXCLUDED, POAM_IF_PARTIAL, TITLES  # noqa: E402

REPO = Path(__file__).resolve().parent.parent
OSCAL_NS = "{http://csrc.nist.gov/ns/oscal/1.0}"

CATALOG_501 = "nist/sp800-53/rev5/full-catalog-2021/NIST_SP-800-53_rev5_catalog.json"
NIST_PROFILES = {
    "L": "nist/sp800-53/rev5/profiles/NIST_SP-800-53_rev5_LOW-baseline_profile.json",
    "M": "nist/sp800-53/rev5/profiles/NIST_SP-800-53_rev5_MODERATE-baseline_profile.json",
    "H": "nist/sp800-53/rev5/profiles/NIST_SP-800-53_rev5_HIGH-baseline_profile.json",
    "P": "nist/sp800-53/rev5/profiles/NIST_SP-800-53_rev5_PRIVACY-baseline_profile.json",
}
NIST_RESOLVED = {
    "L": "nist/sp800-53/rev5/resolved/NIST_SP-800-53_rev5_LOW-baseline-resolved-profile_catalog.json",
    "M": "nist/sp800-53/rev5/resolved/NIST_SP-800-53_rev5_MODERATE-baseline-resolved-profile_catalog.json",
    "H": "nist/sp800-53/rev5/resolved/NIST_SP-800-53_rev5_HIGH-baseline-resolved-profile_catalog-min.json",
    "P": "nist/sp800-53/rev5/resolved/NIST_SP-800-53_rev5_PRIVACY-baseline-resolved-profile_catalog.json",
}
FEDRAMP_PROFILES = {
    "L": "fedramp/rev5/baselines/profiles/FedRAMP_rev5_LOW-baseline_profile.json",
    "M": "fedramp/rev5/baselines/profiles/FedRAMP_rev5_MODERATE-baseline_profile.json",
    "H": "fedramp/rev5/baselines/profiles/FedRAMP_rev5_HIGH-baseline_profile.json",
    "S": "fedramp/rev5/baselines/profiles/FedRAMP_rev5_LI-SaaS-baseline_profile.json",
}
FEDRAMP_RESOLVED = {
    "L": "fedramp/rev5/baselines/resolved/FedRAMP_rev5_LOW-baseline-resolved-profile_catalog.json",
    "M": "fedramp/rev5/baselines/resolved/FedRAMP_rev5_MODERATE-baseline-resolved-profile_catalog.xml",
    "H": "fedramp/rev5/baselines/resolved/FedRAMP_rev5_HIGH-baseline-resolved-profile_catalog.xml",
    "S": "fedramp/rev5/baselines/resolved/FedRAMP_rev5_LI-SaaS-baseline-resolved-profile_catalog.json",
}
REV3_XML = "nist/sp800-171/rev3/NIST_SP800-171_rev3_catalog.xml"
SPRS_CSV = "cmmc/nist-800-171r2_dod-assessment-methodology-v1.2.1_point-values.csv"

# Acronyms the 5.0.1 catalog wrote in title case ("Fips-validated").
ACRONYMS = ("GSA", "FICAM", "NIAP", "FIPS", "NSA", "SCRM")


def die(msg):
    sys.exit(f"build_catalogs: {msg}")


def check(cond, msg):
    if not cond:
        die(msg)


# ---------------------------------------------------------------- provenance


def sources_index(ref):
    """local path -> (repo, path, commit) from the tables in SOURCES.md."""
    out = {}
    for line in (ref / "SOURCES.md").read_text(encoding="utf-8").splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) == 5 and re.fullmatch(r"[0-9a-f]{40}", cells[3]):
            out[cells[0]] = (cells[1], cells[2], cells[3])
    return out


def provenance(ref, index, locals_):
    lines = []
    for local in locals_:
        digest = hashlib.sha256((ref / local).read_bytes()).hexdigest()[:16]
        if local in index:
            repo, path, commit = index[local]
            lines.append(f"# source: {local} = {repo}:{path} @ {commit} sha256:{digest}")
        else:
            lines.append(f"# source: {local} (derived file, see SOURCES.md) sha256:{digest}")
    return lines


# ------------------------------------------------------------- SP 800-53 ids


def label(oscal_id):
    """OSCAL `ac-2.1` -> `AC-2(1)`."""
    m = re.fullmatch(r"([a-z]{2})-(\d+)(?:\.(\d+))?", oscal_id)
    check(m, f"unexpected OSCAL control id {oscal_id!r}")
    fam, num, enh = m.groups()
    return f"{fam.upper()}-{int(num)}" + (f"({int(enh)})" if enh else "")


def padded_label(text):
    """800-171r3 reference titles `AC-02(03)` -> `AC-2(3)`; None if not a control."""
    m = re.fullmatch(r"([A-Z]{2})-(\d+)(?:\((\d+)\))?", text or "")
    if not m:
        return None
    fam, num, enh = m.groups()
    return f"{fam}-{int(num)}" + (f"({int(enh)})" if enh else "")


def fix_case(title):
    """Undo the 5.0.1 catalog's title-casing artefacts (5.1.1 spelling)."""
    title = re.sub(r"([/(])([a-z])", lambda m: m.group(1) + m.group(2).upper(), title)
    for acr in ACRONYMS:
        title = re.sub(rf"\b{acr.capitalize()}\b", acr, title)
    return title


def walk(controls):
    for c in controls:
        yield c
        yield from walk(c.get("controls", []))


def props(obj):
    return {p["name"]: p.get("value") for p in obj.get("props", [])}


def profile_ids(path):
    prof = json.loads(path.read_text(encoding="utf-8"))["profile"]
    ids = []
    for imp in prof["imports"]:
        check("exclude-controls" not in imp, f"{path.name}: exclude-controls not supported")
        for inc in imp.get("include-controls", []):
            check("with-ids" in inc, f"{path.name}: only with-ids selections are supported")
            ids += inc["with-ids"]
    check(len(ids) == len(set(ids)), f"{path.name}: duplicate ids")
    return ids


def json_catalog_titles(path):
    cat = json.loads(path.read_text(encoding="utf-8"))["catalog"]
    out = {}
    for g in cat.get("groups", []):
        for c in walk(g.get("controls", [])):
            out[c["id"]] = c["title"]
    for c in walk(cat.get("controls", [])):
        out[c["id"]] = c["title"]
    return out


def xml_catalog_titles(path):
    root = ET.parse(path).getroot()
    return {c.get("id"): " ".join("".join(c.find(OSCAL_NS + "title").itertext()).split()) for c in root.iter(OSCAL_NS + "control")}


def catalog_titles(path):
    return xml_catalog_titles(path) if path.suffix == ".xml" else json_catalog_titles(path)


def build_800_53(ref):
    cat = json.loads((ref / CATALOG_501).read_text(encoding="utf-8"))["catalog"]
    rows = {}  # oscal id -> dict, in catalog order
    for g in cat["groups"]:
        for c in walk(g.get("controls", [])):
            p = props(c)
            ident = label(c["id"])
            check(p.get("label") == ident, f"{c['id']}: label {p.get('label')!r} != {ident!r}")
            withdrawn = p.get("status") == "withdrawn"
            into = []
            for link in c.get("links", []):
                if link.get("rel") in ("incorporated-into", "moved-to"):
                    target = link["href"].lstrip("#").split("_")[0]
                    target = target.upper() if re.fullmatch(r"[a-z]{2}", target) else label(target)  # SA-12 -> family SR
                    if target not in into:
                        into.append(target)
            rows[c["id"]] = dict(id=ident, family=g["id"].upper(), withdrawn=withdrawn, into=into, nist="", fedramp="",
                                 title=c["title"], src="5.0.1")

    # 5.1.1 titles from the NIST resolved baselines; any control only in 5.1.1 is added.
    resolved = {}
    for path in NIST_RESOLVED.values():
        resolved.update(catalog_titles(ref / path))
    for oid, title in resolved.items():
        if oid not in rows:
            rows[oid] = dict(id=label(oid), family=oid[:2].upper(), withdrawn=False, into=[], nist="", fedramp="", title=title,
                             src="5.1.1")
            continue
        row = rows[oid]
        if row["title"] != title:
            # The case fix must reproduce every 5.1.1 correction we can see.
            check(fix_case(row["title"]) == title, f"{oid}: 5.1.1 title {title!r} is not a case fix of {row['title']!r}")
            row["title"], row["src"] = title, "5.1.1"
    for row in rows.values():
        fixed = fix_case(row["title"])
        if fixed != row["title"]:
            check(row["src"] == "5.0.1", f"{row['id']}: 5.1.1 title still needs a case fix")
            row["title"], row["src"] = fixed, "5.0.1+case"

    counts = {}
    for code, path in NIST_PROFILES.items():
        ids = profile_ids(ref / path)
        missing = set(ids) - set(catalog_titles(ref / NIST_RESOLVED[code]))
        check(not missing, f"NIST {code}: profile ids missing from the resolved catalog: {sorted(missing)}")
        for oid in ids:
            check(oid in rows and not rows[oid]["withdrawn"], f"NIST {code}: {oid} unknown or withdrawn")
            rows[oid]["nist"] += code
        counts[f"nist-{code}"] = len(ids)
    for code, path in FEDRAMP_PROFILES.items():
        ids = profile_ids(ref / path)
        resolved_ids = set(catalog_titles(ref / FEDRAMP_RESOLVED[code]))
        check(set(ids) == resolved_ids, f"FedRAMP {code}: profile and resolved catalog disagree: {sorted(set(ids) ^ resolved_ids)}")
        for oid, title in catalog_titles(ref / FEDRAMP_RESOLVED[code]).items():
            check(title == rows[oid]["title"], f"FedRAMP {code}: {oid} title {title!r} != {rows[oid]['title']!r}")
        for oid in ids:
            check(oid in rows and not rows[oid]["withdrawn"], f"FedRAMP {code}: {oid} unknown or withdrawn")
            rows[oid]["fedramp"] += code
        counts[f"fedramp-{code}"] = len(ids)
    return list(rows.values()), counts


def write_800_53(out, ref, index, rows):
    lines = [
        "# NIST SP 800-53 Rev 5 controls and enhancements. Generated by scripts/build_catalogs.py; do not edit.",
        "# ids, titles, status: 5.0.1 full catalog; titles of baseline controls from the 5.1.1 resolved baselines",
        "# (title_src 5.1.1); 5.0.1 capitalisation artefacts fixed (title_src 5.0.1+case). See docs/frameworks.md.",
        "# nist: L=LOW M=MODERATE H=HIGH P=PRIVACY baseline (5.1.1 profiles); fedramp: L=LOW M=MODERATE H=HIGH",
        "# S=LI-SaaS (FedRAMP Rev 5 profiles); '-' = none. replaced_by: where a withdrawn control went.",
        *provenance(ref, index, [CATALOG_501, *NIST_PROFILES.values(), *NIST_RESOLVED.values(), *FEDRAMP_PROFILES.values(),
                                 *FEDRAMP_RESOLVED.values()]),
        "id\tfamily\tstatus\tnist\tfedramp\treplaced_by\ttitle_src\ttitle",
    ]
    for r in rows:
        check("\t" not in r["title"] and "\n" not in r["title"], f"{r['id']}: title has a tab or newline")
        status = "withdrawn" if r["withdrawn"] else "active"
        lines.append("\t".join([r["id"], r["family"], status, r["nist"] or "-", r["fedramp"] or "-", ",".join(r["into"]) or "-",
                                r["src"], r["title"]]))
    write(out / "nist-800-53-r5.tsv", lines)


# ---------------------------------------------------------- SP 800-171 Rev 2


def parse_rev3(ref):
    """Rev 3 requirement number -> (title, withdrawn, [800-53 ids], [(rel, target)])."""
    root = ET.parse(ref / REV3_XML).getroot()
    resources = {}
    for res in root.iter(OSCAL_NS + "resource"):
        t = res.find(OSCAL_NS + "title")
        resources[res.get("uuid")] = "".join(t.itertext()).strip() if t is not None else ""
    out = {}
    for c in root.iter(OSCAL_NS + "control"):
        if c.get("class") != "requirement":
            continue
        num = c.get("id").removeprefix("SP_800_171_")
        status = {p.get("name"): p.get("value") for p in c.findall(OSCAL_NS + "prop")}.get("status")
        controls, rels = [], []
        for link in c.findall(OSCAL_NS + "link"):
            if link.get("rel") == "reference":
                ctl = padded_label(resources.get(link.get("href").lstrip("#")))
                if ctl and ctl not in controls:
                    controls.append(ctl)
            else:
                rels.append((link.get("rel"), link.get("href")))
        title = " ".join("".join(c.find(OSCAL_NS + "title").itertext()).split())
        out[num] = (title, status == "withdrawn", controls, rels)
    return out


def rev3_number(rev2):
    _, fam, num = rev2.split(".")
    return f"03.{int(fam):02d}.{int(num):02d}"


def build_800_171(ref, controls_53):
    order = {r["id"]: i for i, r in enumerate(controls_53)}
    active = {r["id"] for r in controls_53 if not r["withdrawn"]}
    rev3 = parse_rev3(ref)
    with open(ref / SPRS_CSV, encoding="utf-8", newline="") as f:
        sprs = list(csv.DictReader(f))
    check(len(sprs) == 110, f"expected 110 SPRS rows, got {len(sprs)}")
    check(set(CROSSWALK) <= {r["requirement_id"] for r in sprs}, "CROSSWALK names an unknown requirement")

    rows = []
    for s in sprs:
        rid, fam = s["requirement_id"], s["family"]
        spec = CROSSWALK.get(rid, {})
        same = rev3_number(rid)
        check(same in rev3, f"{rid}: Rev 3 has no {same}")
        r3_title, r3_withdrawn, _, r3_rels = rev3[same]
        sources = spec.get("rev3", [] if r3_withdrawn else [same])
        if r3_withdrawn:
            check(spec, f"{rid}: withdrawn in Rev 3 ({r3_rels}) but has no CROSSWALK entry")
            targets = sorted(t for _, t in r3_rels)
            check(targets == sorted(sources), f"{rid}: rev3 sources {sources} != Rev 3 links {targets}")
            check(bool(targets) != (rid in NO_LINK), f"{rid}: NO_LINK disagrees with the Rev 3 links {targets}")
        linked = []
        for src in sources:
            check(src in rev3 and not rev3[src][1], f"{rid}: Rev 3 source {src} missing or withdrawn")
            linked += [c for c in rev3[src][2] if c not in linked]
        keep = spec.get("keep")
        for c in (keep or []) + spec.get("drop", []):
            check(c in linked, f"{rid}: {c} is not linked from Rev 3 {sources} ({linked})")
        chosen = [c for c in (linked if keep is None else keep) if c not in spec.get("drop", [])]
        for c in spec.get("add", []):
            check(c not in linked, f"{rid}: added {c} is already linked from Rev 3")
            chosen.append(c)
        for c in chosen:
            check(c in active, f"{rid}: {c} is not an active SP 800-53 Rev 5 control")
        chosen = sorted(set(chosen), key=order.__getitem__)
        if r3_withdrawn:
            kept = [c for c in chosen if c in linked]
            basis = "withdrawn" if kept else ("curated" if chosen else "none")
        else:
            basis = "adjusted" if spec else "same"
        check(basis != "same" or chosen, f"{rid}: no controls")

        if rid in TITLES:
            title, title_src = TITLES[rid], "text"
        else:
            check(not r3_withdrawn and not spec.get("rev3"), f"{rid}: needs a short title in TITLES")
            title, title_src = r3_title, "rev3"

        points = int(s["points"]) if s["points"] else None
        partial = int(s["points_if_partially_implemented"]) if s["points_if_partially_implemented"] else None
        if rid in POAM_IF_PARTIAL:
            poam = "if-partial"
        elif points == 1 and rid not in POAM_EXCLUDED:
            poam = "yes"
        else:
            poam = "no"
        rows.append(dict(id=rid, family=fam, points=points, partial=partial, poam=poam,
                         l1=s["far_52_204_21_basic_safeguarding"] == "yes", cmmc=f"{fam}.L2-{rid}", basis=basis,
                         rev3=sources, controls=chosen, title_src=title_src, title=title))
    check(sum(r["points"] or 0 for r in rows) == 313, "SPRS maximum deduction is not 313")
    return rows


def write_800_171(out, ref, index, rows):
    lines = [
        "# NIST SP 800-171 Rev 2 requirements. Generated by scripts/build_catalogs.py; do not edit.",
        "# points/partial: DoD Assessment Methodology v1.2.1 Annex A deductions ('-' = none: 3.12.4).",
        "# poam: CMMC Level 2 POA&M eligibility per 32 CFR 170.21(a)(2) (yes / no / if-partial = only when",
        "# implemented at the partial-credit value). l1: FAR 52.204-21 basic safeguarding (CMMC Level 1).",
        "# cmmc: CMMC Level 2 practice id. controls: SP 800-53 Rev 5 crosswalk built from the SP 800-171 Rev 3",
        "# OSCAL links of the rev3 requirements; basis: same | adjusted | withdrawn | curated | none",
        "# (docs/frameworks.md). title_src: rev3 = Rev 3 title of the same number, text = from the Rev 2 text.",
        *provenance(ref, index, [SPRS_CSV, REV3_XML, CATALOG_501]),
        "id\tfamily\tpoints\tpartial\tpoam\tl1\tcmmc\tbasis\trev3\tcontrols\ttitle_src\ttitle",
    ]
    for r in rows:
        lines.append("\t".join([
            r["id"], r["family"], str(r["points"]) if r["points"] is not None else "-",
            str(r["partial"]) if r["partial"] is not None else "-", r["poam"], "yes" if r["l1"] else "no", r["cmmc"], r["basis"],
            ",".join(r["rev3"]) or "-", ",".join(r["controls"]) or "-", r["title_src"], r["title"]
        ]))
    write(out / "nist-800-171-r2.tsv", lines)


def write(path, lines):
    buf = io.StringIO(newline="")
    for line in lines:
        buf.write(line + "\n")
    path.write_bytes(buf.getvalue().encode("utf-8"))


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("reference", nargs="?", default=str(REPO.parent / "shared" / "reference"))
    ap.add_argument("--out", default=str(REPO / "engine" / "data"))
    args = ap.parse_args()
    ref, out = Path(args.reference), Path(args.out)
    check((ref / "SOURCES.md").is_file(), f"{ref} is not the reference folder (no SOURCES.md)")
    out.mkdir(parents=True, exist_ok=True)
    index = sources_index(ref)

    controls, counts = build_800_53(ref)
    write_800_53(out, ref, index, controls)
    reqs = build_800_171(ref, controls)
    write_800_171(out, ref, index, reqs)

    withdrawn = sum(r["withdrawn"] for r in controls)
    print(f"nist-800-53-r5: {len(controls)} controls+enhancements ({withdrawn} withdrawn); "
          + ", ".join(f"{k} {v}" for k, v in counts.items()))
    bases = {}
    for r in reqs:
        bases[r["basis"]] = bases.get(r["basis"], 0) + 1
    print(f"nist-800-171-r2: {len(reqs)} requirements, max deduction {sum(r['points'] or 0 for r in reqs)}; crosswalk " +
          ", ".join(f"{k} {v}" for k, v in sorted(bases.items())))
    print(f"wrote {out}")


if __name__ == "__main__":
    main()
