-- Books and their chapters.
--
-- A chapter is identified within its book by its number (the number printed in the source,
-- `บทที่ 4`), not by its file name: re-importing a corrected file of chapter 4 must update
-- chapter 4, whatever the file is called. `position` is the reading order (chapters are read
-- by number, files may come in any order); the import renumbers it, so its uniqueness is
-- checked at commit time.
--
-- source_sha256 is the hash of the normalized text that was last imported: an import whose
-- hash is unchanged touches nothing.

CREATE TABLE books (
    id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    slug        text NOT NULL UNIQUE
                CHECK (slug ~ '^[a-z0-9]+(-[a-z0-9]+)*$'),
    title_th    text NOT NULL CHECK (btrim(title_th) <> ''),
    title_en    text NOT NULL CHECK (btrim(title_en) <> ''),
    created_at  timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE chapters (
    id             uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    -- No ON DELETE CASCADE anywhere below books: deleting a book must never silently take
    -- translation work with it.
    book_id        uuid NOT NULL REFERENCES books (id),
    number         integer NOT NULL CHECK (number > 0),
    position       integer NOT NULL CHECK (position >= 0),
    title_th       text NOT NULL CHECK (btrim(title_th) <> ''),
    title_en       text CHECK (btrim(title_en) <> ''),
    source_name    text NOT NULL CHECK (btrim(source_name) <> ''),
    source_sha256  text NOT NULL CHECK (source_sha256 ~ '^[0-9a-f]{64}$'),
    imported_at    timestamptz NOT NULL DEFAULT now(),
    -- The unique index also serves "chapter N of this book" and "this book's chapters".
    CONSTRAINT chapters_book_number_key UNIQUE (book_id, number),
    CONSTRAINT chapters_book_position_key UNIQUE (book_id, position)
        DEFERRABLE INITIALLY DEFERRED
);
