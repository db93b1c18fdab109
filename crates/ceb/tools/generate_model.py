#!/usr/bin/env python3
"""Writes the typed CEB entities (src/model/{import,export,common}.rs) from
the official 202205 XSDs.

Usage: crates/ceb/tools/generate_model.py [SPEC_DIR]
       (default: ../shared/ceb-spec next to the repository)

Every field, its order, its optionality and its XSD facet come from the
schema, with the schema's own description as the field's doc comment. The
output is committed; run this again only when the specification changes,
then `cargo fmt`.
"""
import os
import re
import sys
import xml.etree.ElementTree as ET

XS = "{http://www.w3.org/2001/XMLSchema}"
HERE = os.path.dirname(os.path.abspath(__file__))
CRATE = os.path.dirname(HERE)
REPO = os.path.dirname(os.path.dirname(CRATE))
SPEC = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(REPO), "shared", "ceb-spec")

COMMON = ["BaseTransfer", "BaseSubscribe", "ExtendMessage"]


def snake(name):
    s = re.sub(r"([a-z0-9])([A-Z])", r"\1_\2", name)
    s = re.sub(r"([A-Z]+)([A-Z][a-z])", r"\1_\2", s)
    s = s.lower()
    return {"type": "r#type", "ref": "r#ref"}.get(s, s)


def doc(element):
    d = element.find(f"{XS}annotation/{XS}documentation")
    text = (d.text or "").strip() if d is not None else ""
    return " ".join(text.split())


def facet_of(element):
    """(rust scalar type, facet expression) of a simple element."""
    typ = element.get("type")
    if typ == "xs:int":
        return "i64", "Facet::Int { digits: 10 }"
    if typ == "xs:string":
        return "String", "Facet::AnyText"
    restriction = element.find(f"{XS}simpleType/{XS}restriction")
    if restriction is None:
        return "String", "Facet::AnyText"
    base = restriction.get("base")
    facets = {child.tag.replace(XS, ""): child.get("value") for child in restriction}
    if base == "xs:decimal":
        return "Decimal", "Facet::Decimal {{ total: {}, fraction: {} }}".format(
            facets.get("totalDigits", "19"), facets.get("fractionDigits", "0"))
    if base == "xs:int":
        return "i64", "Facet::Int {{ digits: {} }}".format(facets.get("totalDigits", "10"))
    collapse = facets.get("whiteSpace") == "collapse"
    if "length" in facets:
        lo = hi = facets["length"]
    else:
        lo = facets.get("minLength", "0")
        hi = facets.get("maxLength")
    if hi is None:
        return "String", "Facet::AnyText"
    fn = "collapsed" if collapse else "text"
    return "String", f"Facet::{fn}({lo}, {hi})"


class Schema:
    def __init__(self, path):
        self.root = ET.parse(path).getroot()
        self.globals = {e.get("name"): e for e in self.root.findall(XS + "element")}
        self.entities = {}   # rust name -> (xml name, element node, doc)
        self.order = []
        # Local complex elements whose name stands for different content in
        # different messages (CEB816 and CEB818 both have a `Tax`): their
        # Rust names carry the message number.
        local = {}
        for node in self.root.iter(XS + "element"):
            if node.get("name") and node.find(XS + "complexType") is not None \
                    and node.get("name") not in self.globals:
                local.setdefault(node.get("name"), []).append(node)
        self.ambiguous = {name for name, nodes in local.items() if len(nodes) > 1}

    def entity_name(self, xml_name, node, owner):
        """Rust struct name for a complex element; disambiguates local
        elements of the same name but different content."""
        if xml_name in self.ambiguous:
            return f"{xml_name}{owner}"
        return xml_name

    def visit(self, xml_name, node, owner):
        rust = self.entity_name(xml_name, node, owner)
        if rust in self.entities:
            return rust
        self.entities[rust] = (xml_name, node, doc(node))
        fields = []
        seq = node.find(f"{XS}complexType/{XS}sequence")
        for child in seq.findall(XS + "element") if seq is not None else []:
            lo = int(child.get("minOccurs", "1"))
            hi_raw = child.get("maxOccurs", "1")
            hi = 4294967295 if hi_raw == "unbounded" else int(hi_raw)
            ref = child.get("ref")
            if ref == "ds:Signature":
                # Always optional in the model, so that a declaration can be
                # built and then signed; where the XSD requires it (CEB621,
                # 623, 625, 711) validation reports its absence.
                required = " Required by the schema for this message." if lo else ""
                fields.append(("signature", "Signature", "Signature", 0, 1,
                               "W3C XML 数字签名 — the enveloped signature (ceb-messages.md §4.4)." + required))
                continue
            if ref:
                target_name = ref.split(":")[1]
                target = self.globals[target_name]
                if target_name in COMMON:
                    child_rust = "common::" + target_name
                else:
                    child_rust = self.visit(target_name, target, owner)
                fields.append((target_name, child_rust, "entity", lo, hi, doc(target)))
                continue
            name = child.get("name")
            if child.find(XS + "complexType") is not None:
                child_rust = self.visit(name, child, owner)
                fields.append((name, child_rust, "entity", lo, hi, doc(child)))
            else:
                scalar, facet = facet_of(child)
                fields.append((name, scalar, facet, lo, hi, doc(child)))
        attributes = []
        for attribute in node.findall(f"{XS}complexType/{XS}attribute"):
            optional = attribute.get("use") != "required"
            _, facet = facet_of(attribute)
            attributes.append((attribute.get("name"), optional, facet, doc(attribute)))
        self.order.append((rust, xml_name, doc(node), attributes, fields))
        return rust


def rust_type(kind_or_type, scalar, lo, hi):
    if kind_or_type == "entity" or kind_or_type == "Signature":
        if hi > 1:
            return f"Vec<{scalar}>", f"Facet::occurs({lo}, {hi})"
        if lo == 0:
            return f"Option<{scalar}>", "Facet::OPTIONAL"
        return scalar, "Facet::ONE"
    return None


def emit_entity(out, entity):
    rust, xml_name, description, attributes, fields = entity
    out.append("entity! {")
    out.append(f"    /// {description or xml_name} (`{xml_name}`).")
    out.append(f"    {rust} in Ceb as \"{xml_name}\" {{")
    out.append("        attributes {")
    for name, optional, facet, text in attributes:
        out.append(f"            /// {text or name}")
        ty = "Option<String>" if optional else "String"
        out.append(f"            {snake(name)}: {ty} = \"{name}\", {facet};")
    out.append("        }")
    out.append("        elements {")
    for name, target, kind, lo, hi, text in fields:
        out.append(f"            /// {text or name}")
        entity_type = rust_type(kind if kind in ("entity", "Signature") else "scalar", target, lo, hi)
        if entity_type:
            ty, facet = entity_type
        else:
            ty = target if lo >= 1 else f"Option<{target}>"
            facet = kind
        field = "signature" if kind == "Signature" else snake(name)
        out.append(f"            {field}: {ty} = \"{'Signature' if kind == 'Signature' else name}\", {facet};")
    out.append("        }")
    out.append("    }")
    out.append("}")
    out.append("")


HEADER = """// @generated by crates/ceb/tools/generate_model.py from {source}
// (the official 202205 specification). Do not edit by hand: change the
// generator or the macro in src/entity.rs, then run it again.

{doc}

#![allow(clippy::doc_markdown)]

use rust_decimal::Decimal;

use crate::entity::{{entity, Facet}};
use crate::model::common;
use crate::model::common::Signature;
"""


def generate(xsd, module, title, skip_common):
    schema = Schema(os.path.join(SPEC, "xsd", xsd))
    roots = [n for n in schema.globals if re.fullmatch(r"CEB\d{3}Message", n)]
    for name in roots:
        schema.visit(name, schema.globals[name], name[3:6])
    out = [HEADER.format(source=xsd, doc=title).rstrip(), ""]
    for entity in schema.order:
        if skip_common and entity[0] in COMMON:
            continue
        emit_entity(out, entity)
    text = "\n".join(out)
    if "Decimal" not in text.split("use crate::entity")[1]:
        text = text.replace("use rust_decimal::Decimal;\n\n", "")
    with open(os.path.join(CRATE, "src", "model", module), "w", encoding="utf-8") as f:
        f.write(text)
    return schema


def generate_common():
    schema = Schema(os.path.join(SPEC, "xsd", "ceb-import-202205.xsd"))
    for name in COMMON:
        schema.visit(name, schema.globals[name], "")
    out = ["""// @generated by crates/ceb/tools/generate_model.py from ceb-import-202205.xsd
// (identical in the export schema). Do not edit by hand.

//! The blocks every declaration carries: who transmits it (`BaseTransfer`),
//! who subscribes to it (`BaseSubscribe`) and free-form extensions
//! (`ExtendMessage`) (ceb-messages.md §2.2).

use crate::entity::{entity, AnyXml, Facet};

pub use super::signature::Signature;
"""]
    for entity in schema.order:
        emit_entity(out, entity)
    text = "\n".join(out).replace("message: String = \"Message\", Facet::AnyText;",
                                  "message: AnyXml = \"Message\", Facet::Any;")
    with open(os.path.join(CRATE, "src", "model", "common.rs"), "w", encoding="utf-8") as f:
        f.write(text)


def main():
    generate_common()
    generate("ceb-import-202205.xsd", "import.rs",
             "//! Import messages (跨境电商零售进口): CEB311–CEB900 (ceb-messages.md §1.1, §2.4).", True)
    generate("ceb-export-202205.xsd", "export.rs",
             "//! Export messages (跨境电商零售出口): CEB303–CEB792 (ceb-messages.md §1.2, §2.6).", True)


if __name__ == "__main__":
    main()
