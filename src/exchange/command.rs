//! `plae import-xliff` and `plae import-tmx`: an exchange file into the database, and the
//! report printed.
//!
//! ```text
//! plae import-xliff FILE --user NAME     # targets become NAME's revisions
//! plae import-tmx FILE [--user NAME]     # pairs into the translation memory
//! ```

use std::path::{Path, PathBuf};

use anyhow::Context;
use clap::Args;

use super::{import_tmx, import_xliff, MAX_FILE_BYTES};
use crate::accounts::manage;
use crate::config::Settings;
use crate::startup::{self, Database};
use crate::workflow::Actor;

#[derive(Debug, Args)]
pub struct ImportXliffArgs {
    /// The XLIFF file (2.0 or 1.2), as exported by `plae export --format xliff|xliff12` and
    /// translated in a CAT tool.
    file: PathBuf,
    /// Whose work it is: the new revisions are this user's.
    #[arg(long)]
    user: String,
}

#[derive(Debug, Args)]
pub struct ImportTmxArgs {
    /// The TMX file (1.1 to 1.4b) with Thai–English pairs.
    file: PathBuf,
    /// Who imports it (recorded with each pair).
    #[arg(long)]
    user: Option<String>,
}

pub async fn run_import_xliff(settings: Settings, args: ImportXliffArgs) -> anyhow::Result<()> {
    let bytes = read(&args.file)?;
    let name = args.file.display().to_string();
    let report = with_database(&settings, |pool| async move {
        let mut conn = pool.acquire().await?;
        let user = manage::user_named(&mut conn, &args.user).await?;
        anyhow::ensure!(
            !user.is_disabled(),
            "{} is disabled: their account cannot write",
            user.username
        );
        let actor = Actor {
            user_id: user.id,
            role: user.role,
        };
        import_xliff(&mut conn, &actor, &bytes, &name)
            .await
            .with_context(|| format!("{name}: nothing was imported"))
    })
    .await?;
    print!("{report}");
    Ok(())
}

pub async fn run_import_tmx(settings: Settings, args: ImportTmxArgs) -> anyhow::Result<()> {
    let bytes = read(&args.file)?;
    let name = args.file.display().to_string();
    let report = with_database(&settings, |pool| async move {
        let mut conn = pool.acquire().await?;
        let created_by = match &args.user {
            Some(user) => Some(manage::user_named(&mut conn, user).await?.id),
            None => None,
        };
        import_tmx(&mut conn, created_by, &bytes, &name)
            .await
            .with_context(|| format!("{name}: nothing was imported"))
    })
    .await?;
    print!("{report}");
    Ok(())
}

/// The file's bytes, refused unread when it is over the limit.
fn read(path: &Path) -> anyhow::Result<Vec<u8>> {
    let name = path.display();
    let size = std::fs::metadata(path)
        .with_context(|| format!("{name}: cannot read it"))?
        .len();
    anyhow::ensure!(
        size <= MAX_FILE_BYTES as u64,
        "{name}: the file is {size} bytes; the limit is {MAX_FILE_BYTES} bytes (50 MiB)"
    );
    std::fs::read(path).with_context(|| format!("{name}: cannot read it"))
}

/// Opens the database (migrated), runs `work`, closes it whatever happened.
async fn with_database<T, F, Fut>(settings: &Settings, work: F) -> anyhow::Result<T>
where
    F: FnOnce(sqlx::PgPool) -> Fut,
    Fut: std::future::Future<Output = anyhow::Result<T>>,
{
    let database = Database::open(settings).await?;
    let pool = database.pool.clone();
    let done = async {
        startup::migrate(&pool).await?;
        work(pool.clone()).await
    }
    .await;
    database.close().await?;
    done
}
