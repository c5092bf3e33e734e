//! The admin pages: users (add, change role, disable, enable) and the workbench settings.
//! Every handler checks the role itself (`require(can_administer)`), GET and POST alike.

use actix_web::http::{header, StatusCode};
use actix_web::{web, HttpResponse};
use askama::Template;
use serde::Deserialize;
use uuid::Uuid;

use super::chrome::Chrome;
use super::csrf::CsrfForm;
use super::page::render_with_status;
use super::session::CurrentUser;
use super::{AppError, AppState};
use crate::accounts::manage::{self, AddedUser, InitialPassword, NewAccount};
use crate::accounts::{AccountError, Role};
use crate::db;
use crate::db::settings::{Settings, CLAIM_EXPIRY_MINUTES};
use crate::db::users::User;

const USERS_PATH: &str = "/admin/users";
const SETTINGS_PATH: &str = "/admin/settings";

fn admin_only(user: &CurrentUser) -> Result<(), AppError> {
    user.require(user.role.can_administer())
}

fn back_to(path: &str) -> HttpResponse {
    HttpResponse::SeeOther()
        .insert_header((header::LOCATION, path))
        .finish()
}

#[derive(Template)]
#[template(path = "admin/users.html", whitespace = "minimize")]
pub struct UsersPage {
    pub chrome: Chrome,
    pub csrf: String,
    pub me: Uuid,
    pub users: Vec<User>,
    pub roles: [Role; 3],
    /// A user just added, with the password to hand them (shown once, never stored).
    pub added: Option<AddedUser>,
    pub error: Option<String>,
}

async fn users_page(
    state: &AppState,
    admin: &CurrentUser,
    added: Option<AddedUser>,
    error: Option<String>,
) -> Result<HttpResponse, AppError> {
    let mut conn = state.pool.acquire().await?;
    let users = db::users::list_users(&mut conn).await?;
    drop(conn);
    let status = match error {
        Some(_) => StatusCode::UNPROCESSABLE_ENTITY,
        None => StatusCode::OK,
    };
    let page = UsersPage {
        chrome: Chrome::for_user(Some(admin)),
        csrf: admin.csrf_token().unwrap_or_default().to_string(),
        me: admin.id,
        users,
        roles: Role::ALL,
        added,
        error,
    };
    let mut response = render_with_status(status, &page)?;
    // The page may show a new user's password: keep it out of every cache.
    response.headers_mut().insert(
        header::CACHE_CONTROL,
        header::HeaderValue::from_static("no-store"),
    );
    Ok(response)
}

pub async fn list_users(
    state: web::Data<AppState>,
    user: CurrentUser,
) -> Result<HttpResponse, AppError> {
    admin_only(&user)?;
    users_page(&state, &user, None, None).await
}

/// The admin's form, or the error to fail with: what the admin can fix is shown on the page.
async fn shown_on_page(
    state: &AppState,
    admin: &CurrentUser,
    e: AccountError,
) -> Result<HttpResponse, AppError> {
    match e {
        AccountError::Database(_) | AccountError::Internal(_) => Err(e.into()),
        other => users_page(state, admin, None, Some(other.to_string())).await,
    }
}

#[derive(Deserialize)]
pub struct AddUserForm {
    username: String,
    #[serde(default)]
    display_name: String,
    role: String,
    /// Empty: generate one.
    #[serde(default)]
    password: String,
}

fn parse_role(text: &str) -> Result<Role, AppError> {
    text.parse::<Role>()
        .map_err(|e| AppError::BadRequest(e.to_string()))
}

/// Adds a user. Whatever the password, they must change it at first sign-in: the admin
/// knows it.
pub async fn add_user(
    state: web::Data<AppState>,
    form: CsrfForm<AddUserForm>,
) -> Result<HttpResponse, AppError> {
    let admin = form.user()?.clone();
    admin_only(&admin)?;
    let data = form.data;
    let role = parse_role(&data.role)?;
    let password = match data.password.is_empty() {
        true => InitialPassword::Generate,
        false => InitialPassword::Chosen {
            password: data.password,
            must_change: true,
        },
    };
    let new = NewAccount {
        username: &data.username,
        display_name: &data.display_name,
        role,
        password,
    };
    match manage::add_user(&state.pool, new).await {
        Ok(added) => {
            tracing::info!(admin = %admin.username, username = %added.user.username,
                           role = %role, "added a user");
            users_page(&state, &admin, Some(added), None).await
        }
        Err(e) => shown_on_page(&state, &admin, e).await,
    }
}

#[derive(Deserialize)]
pub struct RoleForm {
    role: String,
}

pub async fn change_role(
    state: web::Data<AppState>,
    id: web::Path<Uuid>,
    form: CsrfForm<RoleForm>,
) -> Result<HttpResponse, AppError> {
    let admin = form.user()?.clone();
    admin_only(&admin)?;
    let role = parse_role(&form.role)?;
    match manage::change_role(&state.pool, admin.id, id.into_inner(), role).await {
        Ok(user) => {
            tracing::info!(admin = %admin.username, username = %user.username, %role,
                           "changed a role");
            Ok(back_to(USERS_PATH))
        }
        Err(e) => shown_on_page(&state, &admin, e).await,
    }
}

#[derive(Deserialize)]
pub struct EmptyForm {}

pub async fn disable_user(
    state: web::Data<AppState>,
    id: web::Path<Uuid>,
    form: CsrfForm<EmptyForm>,
) -> Result<HttpResponse, AppError> {
    set_disabled(&state, id.into_inner(), form, true).await
}

pub async fn enable_user(
    state: web::Data<AppState>,
    id: web::Path<Uuid>,
    form: CsrfForm<EmptyForm>,
) -> Result<HttpResponse, AppError> {
    set_disabled(&state, id.into_inner(), form, false).await
}

async fn set_disabled(
    state: &AppState,
    id: Uuid,
    form: CsrfForm<EmptyForm>,
    disabled: bool,
) -> Result<HttpResponse, AppError> {
    let admin = form.user()?;
    admin_only(admin)?;
    match manage::set_disabled(&state.pool, admin.id, id, disabled).await {
        Ok(user) => {
            tracing::info!(admin = %admin.username, username = %user.username, disabled,
                           "changed whether a user is disabled");
            Ok(back_to(USERS_PATH))
        }
        Err(e) => shown_on_page(state, admin, e).await,
    }
}

#[derive(Template)]
#[template(path = "admin/settings.html", whitespace = "minimize")]
pub struct SettingsPage {
    pub chrome: Chrome,
    pub csrf: String,
    pub settings: Settings,
    pub min_expiry: i32,
    pub max_expiry: i32,
    pub saved: bool,
    pub error: Option<String>,
}

#[derive(Deserialize)]
pub struct SavedQuery {
    saved: Option<String>,
}

fn settings_page(
    admin: &CurrentUser,
    settings: Settings,
    saved: bool,
    error: Option<String>,
) -> Result<HttpResponse, AppError> {
    let status = match error {
        Some(_) => StatusCode::UNPROCESSABLE_ENTITY,
        None => StatusCode::OK,
    };
    let page = SettingsPage {
        chrome: Chrome::for_user(Some(admin)),
        csrf: admin.csrf_token().unwrap_or_default().to_string(),
        settings,
        min_expiry: *CLAIM_EXPIRY_MINUTES.start(),
        max_expiry: *CLAIM_EXPIRY_MINUTES.end(),
        saved,
        error,
    };
    render_with_status(status, &page)
}

pub async fn show_settings(
    state: web::Data<AppState>,
    user: CurrentUser,
    query: web::Query<SavedQuery>,
) -> Result<HttpResponse, AppError> {
    admin_only(&user)?;
    let mut conn = state.pool.acquire().await?;
    let settings = db::settings::get_settings(&mut conn).await?;
    drop(conn);
    settings_page(&user, settings, query.saved.is_some(), None)
}

/// Checkboxes are absent from the form when unticked.
#[derive(Deserialize)]
pub struct SettingsForm {
    open_signup: Option<String>,
    allow_self_approval: Option<String>,
    block_approval_on_errors: Option<String>,
    claim_expiry_minutes: String,
}

pub async fn save_settings(
    state: web::Data<AppState>,
    form: CsrfForm<SettingsForm>,
) -> Result<HttpResponse, AppError> {
    let admin = form.user()?.clone();
    admin_only(&admin)?;
    let data = form.data;
    let wanted = Settings {
        open_signup: data.open_signup.is_some(),
        allow_self_approval: data.allow_self_approval.is_some(),
        block_approval_on_errors: data.block_approval_on_errors.is_some(),
        claim_expiry_minutes: data.claim_expiry_minutes.trim().parse().unwrap_or(0),
    };
    if !CLAIM_EXPIRY_MINUTES.contains(&wanted.claim_expiry_minutes) {
        let message = format!(
            "Claims must expire after {} to {} minutes.",
            CLAIM_EXPIRY_MINUTES.start(),
            CLAIM_EXPIRY_MINUTES.end()
        );
        return settings_page(&admin, wanted, false, Some(message));
    }
    let by = Some(admin.id);
    let mut tx = state.pool.begin().await?;
    db::settings::set_open_signup(&mut tx, wanted.open_signup, by).await?;
    db::settings::set_allow_self_approval(&mut tx, wanted.allow_self_approval, by).await?;
    db::settings::set_claim_expiry_minutes(&mut tx, wanted.claim_expiry_minutes, by).await?;
    db::settings::set_block_approval_on_errors(&mut tx, wanted.block_approval_on_errors, by)
        .await?;
    tx.commit().await?;
    tracing::info!(admin = %admin.username, ?wanted, "changed the settings");
    Ok(back_to(&format!("{SETTINGS_PATH}?saved=1")))
}
