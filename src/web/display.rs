//! How a segment's kind and status show on a page: fixed CSS classes and labels, so that
//! nothing read from the database ends up in a class attribute.

/// What a segment is, for the reader: it decides the element a segment's text is set in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    ChapterTitle,
    Heading,
    Paragraph,
    Quote,
    Footnote,
}

impl Kind {
    /// The `segments.kind` column. The database only allows the known kinds; anything else
    /// would still be readable as a paragraph.
    pub fn parse(kind: &str) -> Kind {
        match kind {
            "chapter_title" => Kind::ChapterTitle,
            "heading" => Kind::Heading,
            "quote" => Kind::Quote,
            "footnote" => Kind::Footnote,
            _ => Kind::Paragraph,
        }
    }

    pub fn class(self) -> &'static str {
        match self {
            Kind::ChapterTitle => "kind-title",
            Kind::Heading => "kind-heading",
            Kind::Paragraph => "kind-paragraph",
            Kind::Quote => "kind-quote",
            Kind::Footnote => "kind-footnote",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Kind::ChapterTitle => "chapter title",
            Kind::Heading => "heading",
            Kind::Paragraph => "paragraph",
            Kind::Quote => "quotation",
            Kind::Footnote => "footnote",
        }
    }
}

/// Where a segment is in the translation workflow.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    Untranslated,
    Draft,
    Submitted,
    Approved,
    ChangesRequested,
}

impl Status {
    /// The `segments.status` column (constrained by the database to these values).
    pub fn parse(status: &str) -> Status {
        match status {
            "draft" => Status::Draft,
            "submitted" => Status::Submitted,
            "approved" => Status::Approved,
            "changes_requested" => Status::ChangesRequested,
            _ => Status::Untranslated,
        }
    }

    /// The stored value, for links and forms (`?status=draft`).
    pub fn value(self) -> &'static str {
        match self {
            Status::Untranslated => "untranslated",
            Status::Draft => "draft",
            Status::Submitted => "submitted",
            Status::Approved => "approved",
            Status::ChangesRequested => "changes_requested",
        }
    }

    pub fn class(self) -> &'static str {
        match self {
            Status::Untranslated => "status-untranslated",
            Status::Draft => "status-draft",
            Status::Submitted => "status-submitted",
            Status::Approved => "status-approved",
            Status::ChangesRequested => "status-changes",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Status::Untranslated => "Untranslated",
            Status::Draft => "Draft",
            Status::Submitted => "Submitted",
            Status::Approved => "Approved",
            Status::ChangesRequested => "Changes requested",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_status_the_database_allows_has_its_own_badge() {
        let statuses = [
            "untranslated",
            "draft",
            "submitted",
            "approved",
            "changes_requested",
        ]
        .map(Status::parse);
        for (i, a) in statuses.iter().enumerate() {
            for b in &statuses[i + 1..] {
                assert_ne!(a.class(), b.class());
            }
        }
    }

    #[test]
    fn every_kind_the_database_allows_is_recognised() {
        let kinds = ["chapter_title", "heading", "paragraph", "quote", "footnote"].map(Kind::parse);
        assert_eq!(
            kinds,
            [
                Kind::ChapterTitle,
                Kind::Heading,
                Kind::Paragraph,
                Kind::Quote,
                Kind::Footnote
            ]
        );
    }
}
