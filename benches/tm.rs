//! Translation-memory lookup with 100,000 units: `DATABASE_URL=postgres://… cargo bench
//! --bench tm` (a server where it may create, and then drops, a database of its own).
//!
//! The memory: every corpus segment approved (107), plus generated TMX units up to
//! 100,000 in all, each a random run of 2–8 of the corpus's own phrases (the text between
//! two spaces), so that every unit shares many trigrams with the queries: a same-domain
//! memory, the prefilter's hard case. The lookups: the editor's own call
//! (`web::tm::load_matches`: candidates by n-gram keys, then the word-level percentage) for each
//! corpus segment, and for each with its last phrase removed (a fuzzy match of itself),
//! three rounds after a warm-up. Prints p50, p95, p99 and the slowest. Not criterion:
//! the figure asked for is a percentile over many different queries, not the mean of one.

use std::time::{Duration, Instant};

use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use sqlx::ConnectOptions;
use uuid::Uuid;

/// Units in the memory and rounds of lookups; `PLAE_BENCH_UNITS`, `PLAE_BENCH_ROUNDS` and
/// `PLAE_BENCH_QUERIES` (how many of the queries) change them for a quicker look.
const UNITS: usize = 100_000;
const ROUNDS: usize = 3;

fn setting(name: &str, default: usize) -> usize {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// A small deterministic generator (the same memory on every run).
struct Lcg(u64);

impl Lcg {
    fn below(&mut self, n: usize) -> usize {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        ((self.0 >> 33) as usize) % n
    }
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let Ok(url) = std::env::var("DATABASE_URL") else {
        eprintln!("set DATABASE_URL to a PostgreSQL server where this may create a database");
        std::process::exit(2);
    };
    let admin: PgConnectOptions = url.parse()?;
    // `PLAE_BENCH_DB` keeps the memory for the next run (made once, never dropped): for
    // trying changes to the lookup without waiting for 100,000 units each time.
    let kept = std::env::var("PLAE_BENCH_DB").ok();
    let name = kept
        .clone()
        .unwrap_or_else(|| format!("plae_bench_tm_{}", std::process::id()));
    let mut conn = admin.connect().await?;
    if kept.is_some() {
        let exists: bool =
            sqlx::query_scalar("SELECT EXISTS (SELECT 1 FROM pg_database WHERE datname = $1)")
                .bind(&name)
                .fetch_one(&mut conn)
                .await?;
        if exists {
            return run(admin.clone().database(&name), false).await;
        }
    }
    sqlx::query(&format!(
        "CREATE DATABASE {name} ENCODING 'UTF8' LC_COLLATE 'C.UTF-8' LC_CTYPE 'C.UTF-8' \
         TEMPLATE template0"
    ))
    .execute(&mut conn)
    .await?;
    let result = run(admin.clone().database(&name), true).await;
    if kept.is_some() {
        return result;
    }
    sqlx::query(&format!("DROP DATABASE {name} WITH (FORCE)"))
        .execute(&mut conn)
        .await?;
    result
}

async fn run(options: PgConnectOptions, fill: bool) -> anyhow::Result<()> {
    let pool = PgPoolOptions::new()
        .max_connections(2)
        .connect_with(options)
        .await?;
    plae::startup::migrate(&pool).await?;
    let mut conn = pool.acquire().await?;
    if fill {
        fill_memory(&pool, &mut conn).await?;
    }
    let segments: Vec<(Uuid, String)> =
        sqlx::query_as("SELECT id, source_th FROM segments ORDER BY position")
            .fetch_all(&mut *conn)
            .await?;
    let stored: i64 = sqlx::query_scalar(
        "SELECT (SELECT count(*) FROM tm_units) + (SELECT count(*) FROM segments
                                                   WHERE status = 'approved')",
    )
    .fetch_one(&mut *conn)
    .await?;
    println!("memory: {stored} units");

    // Each segment as it is, and with its last phrase left out.
    let mut queries: Vec<(Uuid, String)> = segments.clone();
    // An edited copy stands for a new segment: its original is not left out.
    for (_, source) in &segments {
        if let Some((kept, _)) = source.rsplit_once(' ') {
            queries.push((Uuid::nil(), kept.to_string()));
        }
    }
    queries.truncate(setting("PLAE_BENCH_QUERIES", queries.len()));
    for (id, source) in &queries {
        plae::web::tm::load_matches(&mut conn, *id, source).await?;
    }
    let mut times = Vec::new();
    let mut offered = 0;
    let mut percents = 0usize;
    for _ in 0..setting("PLAE_BENCH_ROUNDS", ROUNDS) {
        for (id, source) in &queries {
            let t = Instant::now();
            let panel = plae::web::tm::load_matches(&mut conn, *id, source).await?;
            times.push(t.elapsed());
            offered += panel.matches.len();
            percents += panel
                .matches
                .iter()
                .map(|m| usize::from(m.percent))
                .sum::<usize>();
        }
    }
    times.sort();
    let at = |q: f64| times[((times.len() as f64 * q).ceil() as usize).saturating_sub(1)];
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    println!(
        "{} lookups: p50 {:.2} ms, p95 {:.2} ms, p99 {:.2} ms, slowest {:.2} ms; \
         {:.2} matches offered per lookup (percentages summed: {percents})",
        times.len(),
        ms(at(0.50)),
        ms(at(0.95)),
        ms(at(0.99)),
        ms(*times.last().unwrap()),
        offered as f64 / times.len() as f64
    );

    // Recall on the memory's side: units of five phrases or more, each looked up with its
    // last phrase left out. When that leaves a match of 70% or more, is the unit offered?
    let near: Vec<(String, String)> = sqlx::query_as(
        "SELECT source_text, target_text FROM tm_units
          WHERE cardinality(regexp_split_to_array(source_text, ' ')) >= 5
          ORDER BY md5(source_text) LIMIT 200",
    )
    .fetch_all(&mut *conn)
    .await?;
    let (mut found, mut eligible) = (0, 0);
    for (source, target) in &near {
        let (kept, _) = source.rsplit_once(' ').expect("five phrases");
        if plae::tm::percent(source, kept) < plae::tm::DEFAULT_THRESHOLD {
            continue; // a long last phrase: not a match to offer
        }
        eligible += 1;
        let panel = plae::web::tm::load_matches(&mut conn, Uuid::nil(), kept).await?;
        found += usize::from(panel.matches.iter().any(|m| &m.target == target));
    }
    println!("near copies of memory units (70% or more): {found} of {eligible} offered their unit");
    Ok(())
}

/// The memory: the corpus imported, every segment approved, and generated units.
async fn fill_memory(pool: &sqlx::PgPool, conn: &mut sqlx::PgConnection) -> anyhow::Result<()> {
    let corpus = plae::corpus::Corpus::load(&plae::corpus::default_dir())?;
    plae::import::import_corpus(&pool, &corpus).await?;

    // Every segment approved, with an English text of its own.
    sqlx::query(
        "WITH r AS (
             INSERT INTO revisions (segment_id, text)
             SELECT id, 'English of segment ' || position FROM segments RETURNING id, segment_id
         )
         UPDATE segments s SET current_revision_id = r.id, approved_revision_id = r.id,
                               status = 'approved'
           FROM r WHERE r.segment_id = s.id",
    )
    .execute(&mut *conn)
    .await?;
    let segments: Vec<(Uuid, String)> =
        sqlx::query_as("SELECT id, source_th FROM segments ORDER BY position")
            .fetch_all(&mut *conn)
            .await?;

    let phrases: Vec<&str> = segments
        .iter()
        .flat_map(|(_, s)| s.split(' '))
        .filter(|p| p.chars().count() >= 5)
        .collect();
    let mut rng = Lcg(7);
    let units: Vec<plae::db::tm::NewTmUnit> = (0..setting("PLAE_BENCH_UNITS", UNITS)
        .saturating_sub(segments.len()))
        .map(|i| {
            let n = 2 + rng.below(7);
            let source = (0..n)
                .map(|_| phrases[rng.below(phrases.len())])
                .collect::<Vec<_>>()
                .join(" ");
            plae::db::tm::NewTmUnit {
                source_lang: "th".into(),
                target_lang: "en".into(),
                source_normalized: plae::text::normalize::normalize_inline(&source),
                source_text: source,
                target_text: format!("Generated unit {i}"),
                file_created_at: None,
                file_created_by: None,
            }
        })
        .collect();
    let started = Instant::now();
    let added = plae::db::tm::insert_units(&mut *conn, &units, "generated.tmx", None).await?;
    plae::db::tm::merge_pending_keys(&mut *conn).await?; // as the TMX import does
    sqlx::query("ANALYZE").execute(&mut *conn).await?;
    println!(
        "generated {added} units in {:.1} s ({} approved segments)",
        started.elapsed().as_secs_f64(),
        segments.len()
    );
    Ok(())
}
