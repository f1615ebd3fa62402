"""Request bodies. They document the API (OpenAPI is generated from them) and reject bad input
with a message naming the field before any work is done."""
from __future__ import annotations

from typing import Annotated, Literal, Optional

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, model_validator

from ..claims import Claim

MAX_TEXT = 1_000_000       # characters of one article or draft
MAX_CLAIMS = 20_000        # claims in one request
Relation = Literal["self-contradiction", "dispute", "update"]


def _not_blank(value: str) -> str:
    if not value.strip():
        raise ValueError("is blank")
    return value


Name = Annotated[str, Field(min_length=1, max_length=1000), AfterValidator(_not_blank)]
Body = Annotated[str, Field(min_length=1, max_length=MAX_TEXT), AfterValidator(_not_blank)]
Short = Annotated[str, Field(max_length=1000)]


class Options(BaseModel):
    """What `compare`/`check` flags choose per run; the model and defaults stay the server's."""
    model_config = ConfigDict(extra="forbid")

    enable: list[Name] = Field(default_factory=list, max_length=200,
                               description="Only these rule ids or tags (like --enable).")
    disable: list[Name] = Field(default_factory=list, max_length=200,
                                description="Switch off these rule ids or tags (like --disable).")
    severity: dict[Name, Literal["info", "warning", "error"]] = Field(
        default_factory=dict, max_length=200,
        description="Re-grade rules for this request: {ID_OR_TAG: LEVEL} (like --severity ID_OR_TAG=LEVEL).")
    relation: list[Relation] = Field(default_factory=list, max_length=3, description="Only these relations.")
    min_confidence: float = Field(0.0, ge=0.0, le=1.0, description="Hide weaker findings.")
    use_db: bool = Field(True, description="Also check against the claims database.")


class Ignore(BaseModel):
    """A finding a reviewer accepted, as in a claim file's `ignore:`."""
    model_config = ConfigDict(extra="forbid")

    rule: Name
    reason: Name


class ClaimIn(BaseModel):
    """One claim, as in a claim file (`factcheck schema claims`)."""
    model_config = ConfigDict(extra="forbid")

    id: Name
    text: Annotated[str, Field(min_length=1, max_length=20_000), AfterValidator(_not_blank)]
    source: Optional[Short] = None
    speaker: Optional[Short] = None
    date: Optional[Short] = None
    tags: list[Short] = Field(default_factory=list, max_length=100)
    ignore: list[Ignore] = Field(default_factory=list, max_length=100)

    def to_claim(self, default_source: str) -> Claim:
        return Claim(text=self.text, source=self.source or default_source, speaker=self.speaker or None,
                     date=self.date or None, id=self.id, tags=tuple(self.tags),
                     ignore={i.rule: i.reason for i in self.ignore})


class CompareIn(Options):
    a: Body = Field(description="Article A: plain text or Markdown.")
    b: Body = Field(description="Article B.")
    source_a: Name = Field("a", description="Name of A in the report (a '.md' name reads it as Markdown).")
    source_b: Name = Field("b", description="Name of B; must differ from source_a.")

    @model_validator(mode="after")
    def _distinct(self):
        if self.source_a == self.source_b:
            raise ValueError("source_a and source_b must differ")
        return self


class CheckIn(Options):
    # "Exactly one of text or claims" in the schema too, so clients (and schemathesis) can see it.
    model_config = ConfigDict(extra="forbid", json_schema_extra={"oneOf": [
        {"required": ["text"], "properties": {"text": {"type": "string"}}},
        {"required": ["claims"], "properties": {"claims": {"type": "array"}}}]})

    text: Optional[Body] = Field(None, description="A draft article; it is split into claims.")
    claims: Optional[list[ClaimIn]] = Field(None, min_length=1, max_length=MAX_CLAIMS,
                                            description="Or a claim list, as in a claim file.")
    source: Name = Field("draft", description="Name of the draft in the report.")

    @model_validator(mode="after")
    def _one(self):
        if (self.text is None) == (self.claims is None):
            raise ValueError("give exactly one of 'text' or 'claims'")
        return self


class Article(BaseModel):
    model_config = ConfigDict(extra="forbid")

    text: Body
    source: Name = Field(description="Where it was published (URL, article id); claim ids derive from it.")
    date: Optional[Short] = None


class ClaimsIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    claims: list[ClaimIn] = Field(default_factory=list, max_length=MAX_CLAIMS)
    articles: list[Article] = Field(default_factory=list, max_length=100,
                                    description="Published articles: split into claims, then stored.")

    @model_validator(mode="after")
    def _some(self):
        if not self.claims and not self.articles:
            raise ValueError("give 'claims' or 'articles' to add")
        return self


class ErrorBody(BaseModel):
    status: int
    message: str = Field(description="One line naming the problem.")
    field: Optional[str] = Field(None, description="Where in the request, e.g. body.claims.0.text.")


class ErrorOut(BaseModel):
    error: ErrorBody
