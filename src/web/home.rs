//! The home page: the book and its chapters, with how far each has been translated.

use actix_web::{web, HttpResponse};
use askama::Template;

use super::chrome::Chrome;
use super::exports::ExportArea;
use super::page::{chapter_path, render};
use super::progress::Progress;
use super::session::CurrentUser;
use super::{AppError, AppState};
use crate::db;
use crate::db::books::Book;
use crate::db::chapters::ChapterProgress;

#[derive(Template)]
#[template(path = "home.html", whitespace = "minimize")]
pub struct HomePage {
    pub chrome: Chrome,
    /// In practice one book (the corpus); the page lists whatever the database holds.
    pub books: Vec<BookContents>,
}

pub struct BookContents {
    pub book: Book,
    pub chapters: Vec<ChapterLine>,
    pub total: Progress,
    /// The book's downloads.
    pub export: ExportArea,
}

/// One line of the table of contents.
pub struct ChapterLine {
    pub href: String,
    pub number: i32,
    pub title_th: String,
    pub title_en: Option<String>,
    pub progress: Progress,
}

impl BookContents {
    fn new(book: Book, chapters: Vec<ChapterProgress>) -> BookContents {
        let chapters: Vec<ChapterLine> = chapters
            .into_iter()
            .map(|row| ChapterLine {
                href: chapter_path(&book.slug, row.number),
                number: row.number,
                progress: Progress::of_chapter(&row),
                title_th: row.title_th,
                title_en: row.title_en,
            })
            .collect();
        let total = Progress::total(chapters.iter().map(|c| &c.progress));
        BookContents {
            export: ExportArea::new(&book.slug, None),
            book,
            chapters,
            total,
        }
    }
}

pub async fn show_home(
    state: web::Data<AppState>,
    user: Option<CurrentUser>,
) -> Result<HttpResponse, AppError> {
    let mut conn = state.pool.acquire().await?;
    let books = db::books::list_books(&mut conn).await?;
    let mut contents = Vec::with_capacity(books.len());
    // One query per book (one book in practice), none per chapter.
    for book in books {
        let chapters = db::chapters::chapter_progress(&mut conn, book.id).await?;
        contents.push(BookContents::new(book, chapters));
    }
    drop(conn);
    render(&HomePage {
        chrome: Chrome::for_user(user.as_ref()),
        books: contents,
    })
}
