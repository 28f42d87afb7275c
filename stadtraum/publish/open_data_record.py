"""The DCAT-AP.de metadata record of an open-data package (pure): JSON-LD with its context
inlined (nothing can be fetched offline), validated with pyshacl against the shapes file
``stadtraum/publish/dcat/shapes.ttl`` (DCAT-AP.de 2.0, mandatory and recommended fields).

Title, description, publisher, contact point, temporal coverage (the campaign's period),
spatial coverage (the bounding box of the city's areas, WKT in WGS84), licence (by default
Datenlizenz Deutschland – Namensnennung – Version 2.0, ``dl-de/by-2-0``) and one
distribution per file with its media type, format and SHA-256 checksum.
"""

from __future__ import annotations

import datetime as dt
import json
import warnings
from dataclasses import dataclass
from importlib import resources
from typing import Any

__all__ = ["LICENCES", "DistributionInfo", "Publisher", "dcat_record", "parse_jsonld",
           "validate_record"]

# short name -> licence IRI of the DCAT-AP.de licence vocabulary
LICENCES = {
    "dl-de/by-2-0": "http://dcat-ap.de/def/licenses/dl-by-de/2.0",
    "dl-de/zero-2-0": "http://dcat-ap.de/def/licenses/dl-zero-de/2.0",
    "cc-by/4.0": "http://dcat-ap.de/def/licenses/cc-by/4.0",
    "cc-zero": "http://dcat-ap.de/def/licenses/cc-zero",
}
_CONTEXT = {
    "dcat": "http://www.w3.org/ns/dcat#", "dct": "http://purl.org/dc/terms/",
    "foaf": "http://xmlns.com/foaf/0.1/", "vcard": "http://www.w3.org/2006/vcard/ns#",
    "dcatde": "http://dcat-ap.de/def/dcatde/", "dcatap": "http://data.europa.eu/r5r/",
    "locn": "http://www.w3.org/ns/locn#", "spdx": "http://spdx.org/rdf/terms#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "gsp": "http://www.opengis.net/ont/geosparql#",
}
_THEME_SOCI = "http://publications.europa.eu/resource/authority/data-theme/SOCI"
_AVAILABLE = "http://publications.europa.eu/resource/authority/planned-availability/STABLE"
_FILE_TYPES = {"text/csv": "CSV", "application/geo+json": "GEOJSON",
               "application/geopackage+sqlite3": "GPKG", "application/csvm+json": "JSON",
               "text/plain": "TXT"}


@dataclass(frozen=True)
class Publisher:
    name: str  # the city
    contact: str  # a name, an e-mail address or both ("Stadtplanung, plan@stadt.de")
    base_url: str  # where the app is published ("" when unknown)
    contributor_id: str = "http://dcat-ap.de/def/contributors/stadtraummonitor"


@dataclass(frozen=True)
class DistributionInfo:
    file_name: str
    title: str
    description: str
    media_type: str
    sha256: str
    byte_size: int
    url: str = ""  # the public URL when served live; else the file inside the package


def _lit(text: str) -> dict[str, str]:
    return {"@value": text, "@language": "de"}


def _date(day: dt.date) -> dict[str, str]:
    return {"@value": day.isoformat(), "@type": "xsd:date"}


def _contact(publisher: Publisher) -> dict[str, Any]:
    out: dict[str, Any] = {"@type": "vcard:Organization", "vcard:fn": publisher.contact
                           or publisher.name}
    mail = next((w.strip(" ,;<>()") for w in publisher.contact.split() if "@" in w), "")
    if mail:
        out["vcard:hasEmail"] = {"@id": f"mailto:{mail}"}
    return out


def dcat_record(*, dataset_id: str, title: str, description: str, keywords: list[str],
                publisher: Publisher, period: tuple[dt.date, dt.date | None],
                bbox_wkt: str, licence: str, issued: dt.datetime,
                distributions: list[DistributionInfo]) -> dict[str, Any]:
    """The record as a JSON-LD document (a dict; ``json.dumps`` it)."""
    if licence not in LICENCES:
        raise ValueError(f"unknown licence {licence!r}")
    temporal: dict[str, Any] = {"@type": "dct:PeriodOfTime", "dcat:startDate": _date(period[0])}
    if period[1] is not None:
        temporal["dcat:endDate"] = _date(period[1])
    dists = []
    for i, d in enumerate(distributions):
        file_type = _FILE_TYPES.get(d.media_type, "BIN")
        dists.append({
            "@id": f"{dataset_id}#distribution-{i + 1}", "@type": "dcat:Distribution",
            "dct:title": _lit(d.title), "dct:description": _lit(d.description),
            "dcat:accessURL": {"@id": d.url or f"{dataset_id}/{d.file_name}"},
            "dcat:downloadURL": {"@id": d.url or f"{dataset_id}/{d.file_name}"},
            "dct:license": {"@id": LICENCES[licence]},
            "dct:format": {"@id": "http://publications.europa.eu/resource/authority/"
                                  f"file-type/{file_type}"},
            "dcat:mediaType": {"@id": "https://www.iana.org/assignments/media-types/"
                                      + d.media_type},
            "dcatap:availability": {"@id": _AVAILABLE},
            "dcat:byteSize": {"@value": str(d.byte_size), "@type": "xsd:nonNegativeInteger"},
            "spdx:checksum": {"@type": "spdx:Checksum",
                              "spdx:algorithm": {"@id": "spdx:checksumAlgorithm_sha256"},
                              "spdx:checksumValue": {"@value": d.sha256,
                                                     "@type": "xsd:hexBinary"}},
        })
    return {
        "@context": _CONTEXT,
        "@id": dataset_id, "@type": "dcat:Dataset",
        "dct:title": _lit(title), "dct:description": _lit(description),
        "dcat:keyword": [_lit(k) for k in keywords],
        "dcat:theme": {"@id": _THEME_SOCI},
        "dct:publisher": {"@type": "foaf:Agent", "foaf:name": publisher.name},
        "dcat:contactPoint": _contact(publisher),
        "dcatde:contributorID": {"@id": publisher.contributor_id},
        "dct:temporal": temporal,
        "dct:spatial": {"@type": "dct:Location",
                        "dcat:bbox": {"@value": bbox_wkt, "@type": "gsp:wktLiteral"}},
        "dct:issued": {"@value": issued.astimezone(dt.UTC).isoformat(),
                       "@type": "xsd:dateTime"},
        "dct:language": {"@id": "http://publications.europa.eu/resource/authority/language/DEU"},
        "dcat:distribution": dists,
    }


def parse_jsonld(text: str) -> Any:
    """An rdflib graph of a JSON-LD text (rdflib's own parser warns about its internals)."""
    from rdflib import Graph

    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message="ConjunctiveGraph is deprecated",
                                category=DeprecationWarning)
        return Graph().parse(data=text, format="json-ld")


def validate_record(record: dict[str, Any]) -> tuple[bool, str]:
    """pyshacl against the shapes file: (conforms with neither violation nor warning, the
    report text)."""
    import pyshacl
    from rdflib import Graph

    shapes = resources.files("stadtraum.publish").joinpath("dcat/shapes.ttl").read_text(
        encoding="utf-8")
    data = parse_jsonld(json.dumps(record))
    conforms, _, text = pyshacl.validate(data, shacl_graph=Graph().parse(data=shapes,
                                                                         format="turtle"),
                                         allow_warnings=False, inference="none")
    return bool(conforms), str(text)
