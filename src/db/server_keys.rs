//! Keys every instance must share (the one that signs anonymous forms' CSRF tokens),
//! created by whichever instance needs one first.

use sqlx::PgConnection;

/// The key named `name`, storing `fresh` as it if there is none yet. Two instances starting
/// at once both get the one that was stored first.
pub async fn get_or_create_key(
    conn: &mut PgConnection,
    name: &str,
    fresh: &[u8],
) -> Result<Vec<u8>, sqlx::Error> {
    sqlx::query("INSERT INTO server_keys (name, key_bytes) VALUES ($1, $2) ON CONFLICT DO NOTHING")
        .bind(name)
        .bind(fresh)
        .execute(&mut *conn)
        .await?;
    // A separate statement: its snapshot sees the row another instance committed meanwhile.
    sqlx::query_scalar("SELECT key_bytes FROM server_keys WHERE name = $1")
        .bind(name)
        .fetch_one(conn)
        .await
}
