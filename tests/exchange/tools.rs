//! The independent tools the exchange tests check Plae's files with: xmllint against the
//! OASIS schemas, and translate-toolkit (Python), the library behind Pootle and Weblate's
//! format support. CI installs them (`.ci/run`); a machine without them fails here with
//! what to install, rather than skipping.

use std::path::{Path, PathBuf};
use std::process::Command;

/// Where the OASIS XLIFF schemas are: Debian's php-symfony-translation ships the XLIFF 2.0
/// core schema (`xliff-core-2.0.xsd`, OASIS Standard of 5 August 2014, its header intact),
/// the 1.2 strict schema and W3C's `xml.xsd`. `PLAE_XLIFF_SCHEMAS` overrides it.
const SCHEMA_DIR: &str = "/usr/share/php/Symfony/Component/Translation/Resources/schemas";

const INSTALL: &str = "Debian: apt-get install libxml2-utils php-symfony-translation; \
                       pip install translate-toolkit==3.20.4 (.ci/run installs them)";

fn schema_dir() -> PathBuf {
    let dir = std::env::var_os("PLAE_XLIFF_SCHEMAS")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(SCHEMA_DIR));
    assert!(
        dir.join("xliff-core-2.0.xsd").is_file(),
        "the OASIS XLIFF schemas are not in {} ({INSTALL})",
        dir.display()
    );
    dir
}

fn require_xmllint() {
    let found = Command::new("xmllint")
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    assert!(found, "`xmllint` is not installed ({INSTALL})");
}

/// Validates a document against a schema with xmllint, never touching the network;
/// `Err` holds xmllint's complaints.
fn xmllint(schema: &Path, document: &str, catalog: Option<&Path>) -> Result<(), String> {
    require_xmllint();
    let dir = tempfile::tempdir().expect("a temporary directory");
    let file = dir.path().join("document.xml");
    std::fs::write(&file, document).expect("write the document");
    let mut command = Command::new("xmllint");
    command
        .args(["--nonet", "--noout", "--schema"])
        .arg(schema)
        .arg(&file);
    if let Some(catalog) = catalog {
        command.env("XML_CATALOG_FILES", catalog);
    }
    let out = command.output().expect("xmllint runs");
    if out.status.success() {
        Ok(())
    } else {
        Err(String::from_utf8_lossy(&out.stderr).into_owned())
    }
}

/// XLIFF 2.0 against the official core schema. The schema imports `xml.xsd` from
/// `informativeCopiesOf3rdPartySchemas/w3c/` beside it, as in the OASIS package; the
/// Debian package has it beside the schema instead, so the schema is linked into a
/// directory laid out as OASIS lays it out.
pub fn validate_xliff_2_0(document: &str) -> Result<(), String> {
    let dir = schema_dir();
    let layout = tempfile::tempdir().expect("a temporary directory");
    let w3c = layout.path().join("informativeCopiesOf3rdPartySchemas/w3c");
    std::fs::create_dir_all(&w3c).expect("create the schema layout");
    let schema = layout.path().join("xliff_core_2.0.xsd");
    std::os::unix::fs::symlink(dir.join("xliff-core-2.0.xsd"), &schema).expect("link");
    std::os::unix::fs::symlink(dir.join("xml.xsd"), w3c.join("xml.xsd")).expect("link");
    xmllint(&schema, document, None)
}

/// XLIFF 1.2 against the official strict schema (stricter than the transitional one
/// tools also accept). It imports `xml.xsd` by its W3C address: a catalog points that at
/// the local copy.
pub fn validate_xliff_1_2(document: &str) -> Result<(), String> {
    let dir = schema_dir();
    let catalog_dir = tempfile::tempdir().expect("a temporary directory");
    let catalog = catalog_dir.path().join("catalog.xml");
    std::fs::write(
        &catalog,
        format!(
            r#"<?xml version="1.0"?>
<catalog xmlns="urn:oasis:names:tc:entity:xmlns:xml:catalog">
  <system systemId="http://www.w3.org/2001/xml.xsd" uri="file://{}"/>
</catalog>"#,
            dir.join("xml.xsd").display()
        ),
    )
    .expect("write the catalog");
    xmllint(
        &dir.join("xliff-core-1.2-strict.xsd"),
        document,
        Some(&catalog),
    )
}

/// Runs a Python snippet with translate-toolkit; `args` follow the snippet in `sys.argv`.
/// Returns what it prints, parsed as JSON.
pub fn python(script: &str, args: &[&str]) -> serde_json::Value {
    let probe = Command::new("python3")
        .args([
            "-c",
            "import translate.storage.xliff2, translate.storage.tmx",
        ])
        .output();
    assert!(
        probe.is_ok_and(|o| o.status.success()),
        "python3 with translate-toolkit (3.20 or later, for XLIFF 2.0) is not installed \
         ({INSTALL})"
    );
    let out = Command::new("python3")
        .arg("-c")
        .arg(script)
        .args(args)
        .output()
        .expect("python3 runs");
    assert!(
        out.status.success(),
        "the Python snippet failed:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).expect("the snippet prints JSON")
}

/// What translate-toolkit sees in an XLIFF file (2.0 or 1.2): the languages, and each
/// unit's id, state, source and target.
pub const READ_XLIFF: &str = r#"
import json, sys
from translate.storage import xliff, xliff2
kind, path = sys.argv[1], sys.argv[2]
data = open(path, "rb").read()
if kind == "2.0":
    store = xliff2.Xliff2File.parsestring(data)
    state = lambda u: u.xmlelement.get("state")
    ident = lambda u: u.getid()
else:
    store = xliff.xlifffile.parsestring(data)
    def state(u):
        target = u.xmlelement.find("{urn:oasis:names:tc:xliff:document:1.2}target")
        return None if target is None else target.get("state")
    # translate-toolkit prefixes 1.2 ids with the file's `original` and U+0004.
    ident = lambda u: u.getid().split("\x04")[-1]
print(json.dumps({
    "source_language": store.getsourcelanguage(),
    "target_language": store.gettargetlanguage(),
    "units": [
        {"id": ident(u), "state": state(u), "source": u.source, "target": u.target,
         "translated": bool(u.istranslated()), "approved": bool(u.isapproved())}
        for u in store.units
    ],
}))
"#;

/// What translate-toolkit sees in a TMX file: the languages of each unit's variants and
/// their texts.
pub const READ_TMX: &str = r#"
import json, sys
from translate.storage import tmx
store = tmx.tmxfile.parsestring(open(sys.argv[1], "rb").read())
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
units = []
for u in store.units:
    tuvs = u.xmlelement.findall("tuv")
    units.append({
        "tuid": u.xmlelement.get("tuid"),
        "languages": [t.get(XML_LANG) for t in tuvs],
        "source": u.source,
        "target": u.target,
    })
print(json.dumps({"source_language": store.sourcelanguage, "units": units}))
"#;

/// Edits an XLIFF 2.0 file as a CAT tool would, with translate-toolkit: sets the target and
/// state of the units named in a JSON object `{id: [text, state]}`, and writes the file
/// out again (translate-toolkit serializes the whole document anew).
pub const EDIT_XLIFF_2_0: &str = r#"
import json, sys
from translate.storage import xliff2
source, target, edits = sys.argv[1], sys.argv[2], json.loads(sys.argv[3])
store = xliff2.Xliff2File.parsestring(open(source, "rb").read())
done = []
for u in store.units:
    if u.getid() in edits:
        text, state = edits[u.getid()]
        u.target = text
        u.xmlelement.set("state", state)
        done.append(u.getid())
open(target, "wb").write(bytes(store))
print(json.dumps(done))
"#;
