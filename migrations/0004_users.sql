-- Users: translators, reviewers and admins. Minimal for now (a revision needs an author);
-- sign-in and sessions extend it later.
--
-- A user is disabled, never deleted, because revisions keep pointing at their author.
-- password_hash is null for a user who cannot sign in with a password (yet).

CREATE TABLE users (
    id             uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    username       text NOT NULL UNIQUE
                   CHECK (username ~ '^[a-z0-9][a-z0-9_.-]{0,63}$'),
    display_name   text NOT NULL CHECK (btrim(display_name) <> ''),
    role           text NOT NULL CHECK (role IN ('translator', 'reviewer', 'admin')),
    password_hash  text CHECK (password_hash <> ''),
    disabled_at    timestamptz,
    created_at     timestamptz NOT NULL DEFAULT now()
);
