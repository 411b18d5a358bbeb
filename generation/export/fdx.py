"""A Screenplay as a Final Draft document (.fdx): the XML that Final Draft 8+ opens.

    <FinalDraft DocumentType="Script" Template="No" Version="5">
      <Content>
        <Paragraph Type="Scene Heading"><Text>INT. AIRLOCK - DAY</Text></Paragraph>
        <Paragraph Type="Character"><Text>MARA</Text></Paragraph> ...
      </Content>
      <TitlePage><Content><Paragraph Alignment="Center" Type="Action">...</Content></TitlePage>
    </FinalDraft>

ElementTree escapes the text; characters XML 1.0 cannot hold are dropped first.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from core.fountain import Kind
from generation.export.screenplay import Screenplay

FDX_TYPES: dict[Kind, str] = {
    "heading": "Scene Heading",
    "action": "Action",
    "character": "Character",
    "parenthetical": "Parenthetical",
    "dialogue": "Dialogue",
    "transition": "Transition",
}
"""The Final Draft paragraph type of each Fountain element."""
PARAGRAPH_TYPES = tuple(FDX_TYPES.values())
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def to_fdx(play: Screenplay) -> bytes:
    root = ET.Element("FinalDraft", DocumentType="Script", Template="No", Version="5")
    content = ET.SubElement(root, "Content")
    for el in play.elements:
        _paragraph(content, FDX_TYPES.get(el.kind, "Action"), el.text)
    title_page = ET.SubElement(ET.SubElement(root, "TitlePage"), "Content")
    lines = [play.title.upper(), "", play.credit, *play.authors]
    if play.notes:
        lines += ["", play.notes]
    if play.draft_date:
        lines += ["", play.draft_date]
    for line in lines:
        _paragraph(title_page, "Action", line, center=True)
    ET.indent(root)
    body = ET.tostring(root, encoding="unicode")
    return ('<?xml version="1.0" encoding="UTF-8" standalone="no" ?>\n' + body + "\n").encode()


def _paragraph(parent: ET.Element, kind: str, text: str, *, center: bool = False) -> None:
    attrs = {"Alignment": "Center", "Type": kind} if center else {"Type": kind}
    p = ET.SubElement(parent, "Paragraph", attrs)
    ET.SubElement(p, "Text").text = _NOT_XML.sub("", text)
