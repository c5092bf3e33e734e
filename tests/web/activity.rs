//! The activity feed pages: book-wide and per person, newest first, a page at a time.

use plae::workflow::{self, Actor, Role};

use crate::browsing::person;
use crate::common::spawn_app;
use crate::drafting::{paragraphs, save, segment_path};
use crate::helpers::{href, select_in, text};

#[tokio::test]
async fn the_activity_feed_lists_saves_submissions_reviews_and_comments_newest_first() {
    let app = spawn_app().await;
    let tara = person(&app, "tara", "translator").await;
    let rene = person(&app, "rene", "reviewer").await;
    let id = paragraphs(&app, 4).await[0];
    save(&app, &tara, id, "A first text.", "submit").await;
    let page = rene.get(&app, &segment_path(id)).await;
    rene.submit_and_follow(
        &app,
        &page,
        "form.request-changes",
        &[("verdict", "request_changes"), ("comment", "Too short.")],
    )
    .await;
    let page = tara.get(&app, &segment_path(id)).await;
    tara.submit_and_follow(&app, &page, "form.new-thread", &[("body", "Longer soon.")])
        .await;

    let feed = tara.get(&app, "/activity").await;

    assert_eq!(feed.status, 200);
    let lines: Vec<String> = feed
        .select("li.event")
        .into_iter()
        .map(|event| {
            let actor = text(select_in(event, ".actor")[0]);
            let all = text(event);
            let what = all.split_once(&format!(" {actor} ")).unwrap().1.to_string();
            format!("{actor} {what}")
        })
        .collect();
    let place = crate::helpers::chapter_segments(&app.db.pool, 4)
        .await
        .iter()
        .position(|s| s.id == id)
        .unwrap()
        + 1;
    let target = format!("chapter 4, segment {place}");
    assert_eq!(
        lines,
        [
            format!("tara commented on {target}"),
            format!("rene requested changes to {target}"),
            format!("tara submitted {target}"),
            format!("tara saved a revision of {target}"),
        ]
    );
    let first = feed.select("li.event")[0];
    assert!(href(select_in(first, "a.target")[0]).starts_with(&format!("{}#c-", segment_path(id))));
    assert_eq!(href(select_in(first, "a.actor")[0]), "/users/tara/activity");
    assert!(feed.select("a[rel=next]").is_empty(), "one page");
    app.stop().await;
}

#[tokio::test]
async fn a_persons_feed_shows_only_their_actions_fifty_at_a_time() {
    let app = spawn_app().await;
    let tara = person(&app, "tara", "translator").await;
    let rene = person(&app, "rene", "reviewer").await;
    let id = paragraphs(&app, 4).await[1];
    let mut conn = app.db.pool.acquire().await.unwrap();
    let actor = Actor {
        user_id: tara.id,
        role: Role::Translator,
    };
    for n in 1..=55 {
        workflow::add_comment(&mut conn, &actor, id, None, &format!("Note {n}."))
            .await
            .unwrap();
    }
    let reviewer = Actor {
        user_id: rene.id,
        role: Role::Reviewer,
    };
    workflow::add_comment(&mut conn, &reviewer, id, None, "Rene's note.")
        .await
        .unwrap();
    drop(conn);

    let first = rene.get(&app, "/users/tara/activity").await;

    assert_eq!(first.status, 200);
    assert_eq!(text(first.one("h1")), "Activity of tara");
    let events = first.select("li.event");
    assert_eq!(events.len(), 50);
    assert!(events
        .iter()
        .all(|e| text(select_in(*e, ".actor")[0]) == "tara"));
    let older = href(first.one("a[rel=next]")).to_string();
    assert!(older.starts_with("/users/tara/activity?before="), "{older}");
    let second = rene.get(&app, &older).await;
    assert_eq!(second.select("li.event").len(), 5);
    assert!(second.select("a[rel=next]").is_empty());

    let everyone = rene.get(&app, "/activity").await;
    assert_eq!(
        text(select_in(everyone.select("li.event")[0], ".actor")[0]),
        "rene"
    );
    let unknown = rene.get(&app, "/users/nobody/activity").await;
    assert_eq!(unknown.status, 404);
    let anonymous = app.client.get(app.url("/activity")).send().await.unwrap();
    assert_eq!(anonymous.status(), 303, "sent to sign in");
    app.stop().await;
}
