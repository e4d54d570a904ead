//! What each tracker is sent to create an issue, and what its answers mean: pure functions, so
//! the requests and every error message are tested without a network.

use super::adf;
use crate::config::trackers::{GithubSettings, JiraSettings, LinearSettings, secret, value};
use crate::domain::Tracker;
use base64::Engine;
use secrecy::ExposeSecret;
use serde_json::{Value, json};

/// A POST with a JSON body.
#[derive(Debug, Clone, PartialEq)]
pub struct HttpRequest {
    pub url: String,
    pub headers: Vec<(&'static str, String)>,
    pub body: Value,
}

/// The issue to create: a title and the pack as Markdown.
#[derive(Debug, Clone, PartialEq)]
pub struct NewIssue {
    pub title: String,
    pub markdown: String,
}

/// The created issue: `owner/repo#12`, `PROJ-123` or `ENG-42`, and its web address.
#[derive(Debug, Clone, PartialEq)]
pub struct Created {
    pub key: String,
    pub url: String,
}

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum TrackerError {
    #[error("{tracker} is not configured: set {setting}")]
    NotConfigured { tracker: &'static str, setting: &'static str },
    #[error("{tracker} refused the credentials ({detail}); check {setting}")]
    Unauthorized { tracker: &'static str, setting: &'static str, detail: String },
    #[error("{tracker} cannot find where to create the issue ({detail}); check {setting}")]
    NotFound { tracker: &'static str, setting: &'static str, detail: String },
    #[error("{tracker} rejected the issue: {detail}; check {setting}")]
    Invalid { tracker: &'static str, setting: &'static str, detail: String },
    #[error("{tracker} is rate limiting us; try again in {} s", retry_after.unwrap_or(60))]
    RateLimited { tracker: &'static str, retry_after: Option<u64> },
    #[error("{tracker} did not answer within {secs} s; try again, or check {setting}")]
    Timeout { tracker: &'static str, setting: &'static str, secs: u64 },
    #[error("{tracker} failed: {detail}")]
    Unavailable { tracker: &'static str, detail: String },
}

pub const GITHUB_TOKEN: &str = "PUSHBACK_TRACKERS__GITHUB__TOKEN";
pub const GITHUB_REPO: &str = "PUSHBACK_TRACKERS__GITHUB__REPO";
pub const GITHUB_API_URL: &str = "PUSHBACK_TRACKERS__GITHUB__API_URL";
pub const JIRA_BASE_URL: &str = "PUSHBACK_TRACKERS__JIRA__BASE_URL";
pub const JIRA_EMAIL: &str = "PUSHBACK_TRACKERS__JIRA__EMAIL";
pub const JIRA_API_TOKEN: &str = "PUSHBACK_TRACKERS__JIRA__API_TOKEN";
pub const JIRA_PROJECT: &str = "PUSHBACK_TRACKERS__JIRA__PROJECT";
pub const JIRA_ISSUE_TYPE: &str = "PUSHBACK_TRACKERS__JIRA__ISSUE_TYPE";
pub const LINEAR_API_KEY: &str = "PUSHBACK_TRACKERS__LINEAR__API_KEY";
pub const LINEAR_TEAM_ID: &str = "PUSHBACK_TRACKERS__LINEAR__TEAM_ID";
pub const LINEAR_API_URL: &str = "PUSHBACK_TRACKERS__LINEAR__API_URL";

fn missing(tracker: Tracker, setting: &'static str) -> TrackerError {
    TrackerError::NotConfigured { tracker: tracker.label(), setting }
}

/// `POST {api_url}/repos/{owner}/{repo}/issues` with `{"title", "body"}` (REST API 2022-11-28).
pub fn github(s: &GithubSettings, issue: &NewIssue) -> Result<HttpRequest, TrackerError> {
    let token = secret(&s.token).ok_or(missing(Tracker::Github, GITHUB_TOKEN))?;
    let repo = value(&s.repo).ok_or(missing(Tracker::Github, GITHUB_REPO))?;
    Ok(HttpRequest {
        url: format!("{}/repos/{repo}/issues", s.api_url.trim_end_matches('/')),
        headers: vec![
            ("accept", "application/vnd.github+json".into()),
            ("authorization", format!("Bearer {}", token.expose_secret())),
            ("x-github-api-version", "2022-11-28".into()),
            ("user-agent", "pushback".into()),
        ],
        body: json!({"title": issue.title, "body": issue.markdown}),
    })
}

/// `POST {base_url}/rest/api/3/issue`, basic auth with email and API token, ADF description.
pub fn jira(s: &JiraSettings, issue: &NewIssue) -> Result<HttpRequest, TrackerError> {
    let base = value(&s.base_url).ok_or(missing(Tracker::Jira, JIRA_BASE_URL))?;
    let email = value(&s.email).ok_or(missing(Tracker::Jira, JIRA_EMAIL))?;
    let token = secret(&s.api_token).ok_or(missing(Tracker::Jira, JIRA_API_TOKEN))?;
    let project = value(&s.project).ok_or(missing(Tracker::Jira, JIRA_PROJECT))?;
    let basic = base64::engine::general_purpose::STANDARD.encode(format!("{email}:{}", token.expose_secret()));
    Ok(HttpRequest {
        url: format!("{}/rest/api/3/issue", base.trim_end_matches('/')),
        headers: vec![("accept", "application/json".into()), ("authorization", format!("Basic {basic}"))],
        body: json!({"fields": {
            "project": {"key": project},
            "issuetype": {"name": s.issue_type},
            "summary": issue.title,
            "description": adf::from_markdown(&issue.markdown),
        }}),
    })
}

pub const LINEAR_MUTATION: &str =
    "mutation IssueCreate($input: IssueCreateInput!) { issueCreate(input: $input) { success issue { id identifier url } } }";

/// The GraphQL `issueCreate` mutation with the team and a Markdown description. Personal API
/// keys go in `Authorization` as they are (no `Bearer`).
pub fn linear(s: &LinearSettings, issue: &NewIssue) -> Result<HttpRequest, TrackerError> {
    let key = secret(&s.api_key).ok_or(missing(Tracker::Linear, LINEAR_API_KEY))?;
    let team = value(&s.team_id).ok_or(missing(Tracker::Linear, LINEAR_TEAM_ID))?;
    Ok(HttpRequest {
        url: s.api_url.clone(),
        headers: vec![("authorization", key.expose_secret().to_string())],
        body: json!({"query": LINEAR_MUTATION, "variables": {"input": {
            "teamId": team, "title": issue.title, "description": issue.markdown,
        }}}),
    })
}

/// What came back: the created issue, or an error that names the setting to fix.
pub fn outcome(tracker: Tracker, base_url: &str, status: u16, retry_after: Option<u64>, body: &Value) -> Result<Created, TrackerError> {
    let t = tracker.label();
    if status == 429 {
        return Err(TrackerError::RateLimited { tracker: t, retry_after });
    }
    match tracker {
        Tracker::Github => github_outcome(status, retry_after, body),
        Tracker::Jira => jira_outcome(base_url, status, body),
        Tracker::Linear => linear_outcome(status, retry_after, body),
    }
}

fn message(body: &Value) -> String {
    body["message"].as_str().map(str::to_string).unwrap_or_else(|| crate::text::truncate_chars(&body.to_string(), 200))
}

fn github_outcome(status: u16, retry_after: Option<u64>, body: &Value) -> Result<Created, TrackerError> {
    let (t, detail) = ("GitHub", message(body));
    match status {
        201 => match (body["number"].as_u64(), body["html_url"].as_str(), body["repository_url"].as_str()) {
            (Some(n), Some(url), repo) => {
                let repo = repo.and_then(|r| r.split("/repos/").nth(1)).unwrap_or_default();
                Ok(Created { key: format!("{repo}#{n}"), url: url.to_string() })
            }
            _ => Err(TrackerError::Unavailable { tracker: t, detail: "201 without number and html_url".into() }),
        },
        401 => Err(TrackerError::Unauthorized { tracker: t, setting: GITHUB_TOKEN, detail }),
        403 if retry_after.is_some() || detail.contains("rate limit") => Err(TrackerError::RateLimited { tracker: t, retry_after }),
        403 => Err(TrackerError::Unauthorized {
            tracker: t,
            setting: GITHUB_TOKEN,
            detail: format!("{detail}; the token needs Issues: write"),
        }),
        404 | 410 => Err(TrackerError::NotFound { tracker: t, setting: GITHUB_REPO, detail }),
        422 => Err(TrackerError::Invalid { tracker: t, setting: GITHUB_REPO, detail: validation(body, &detail) }),
        _ => Err(TrackerError::Unavailable { tracker: t, detail: format!("HTTP {status}: {detail}") }),
    }
}

/// GitHub's 422: `{"message": "Validation Failed", "errors": [{"field", "code", "message"}]}`.
fn validation(body: &Value, detail: &str) -> String {
    let fields: Vec<String> = body["errors"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|e| {
            e["message"]
                .as_str()
                .map(str::to_string)
                .unwrap_or_else(|| format!("{} {}", e["field"].as_str().unwrap_or("?"), e["code"].as_str().unwrap_or("invalid")))
        })
        .collect();
    if fields.is_empty() { detail.to_string() } else { format!("{detail}: {}", fields.join("; ")) }
}

fn jira_outcome(base_url: &str, status: u16, body: &Value) -> Result<Created, TrackerError> {
    let t = "Jira";
    let messages: Vec<String> =
        body["errorMessages"].as_array().into_iter().flatten().filter_map(|m| m.as_str().map(str::to_string)).collect();
    let fields: Vec<(String, String)> =
        body["errors"].as_object().into_iter().flatten().map(|(k, v)| (k.clone(), v.as_str().unwrap_or_default().to_string())).collect();
    let detail = messages.iter().cloned().chain(fields.iter().map(|(k, v)| format!("{k}: {v}"))).collect::<Vec<_>>().join("; ");
    let detail = if detail.is_empty() { format!("HTTP {status}") } else { detail };
    match status {
        200 | 201 => match body["key"].as_str() {
            Some(key) => Ok(Created { key: key.to_string(), url: format!("{}/browse/{key}", base_url.trim_end_matches('/')) }),
            None => Err(TrackerError::Unavailable { tracker: t, detail: "201 without an issue key".into() }),
        },
        401 => Err(TrackerError::Unauthorized {
            tracker: t,
            setting: "PUSHBACK_TRACKERS__JIRA__EMAIL and PUSHBACK_TRACKERS__JIRA__API_TOKEN",
            detail,
        }),
        403 => Err(TrackerError::Unauthorized {
            tracker: t,
            setting: JIRA_API_TOKEN,
            detail: format!("{detail}; the user needs Create issues in the project"),
        }),
        404 => Err(TrackerError::NotFound {
            tracker: t,
            setting: "PUSHBACK_TRACKERS__JIRA__BASE_URL and PUSHBACK_TRACKERS__JIRA__PROJECT",
            detail,
        }),
        400 | 422 => {
            let setting = if fields.iter().any(|(k, _)| k == "issuetype") {
                JIRA_ISSUE_TYPE
            } else if fields.iter().any(|(k, _)| k == "project") {
                JIRA_PROJECT
            } else {
                "PUSHBACK_TRACKERS__JIRA__PROJECT and PUSHBACK_TRACKERS__JIRA__ISSUE_TYPE (required fields of the issue type)"
            };
            Err(TrackerError::Invalid { tracker: t, setting, detail })
        }
        _ => Err(TrackerError::Unavailable { tracker: t, detail: format!("HTTP {status}: {detail}") }),
    }
}

/// Linear answers GraphQL errors in `errors[]` (with `extensions.code`), at 200 or 400.
fn linear_outcome(status: u16, retry_after: Option<u64>, body: &Value) -> Result<Created, TrackerError> {
    let t = "Linear";
    if let Some(err) = body["errors"].as_array().and_then(|e| e.first()) {
        let detail = err["extensions"]["userPresentableMessage"].as_str().or(err["message"].as_str()).unwrap_or("error").to_string();
        let code = err["extensions"]["code"].as_str().unwrap_or_default();
        return Err(match code {
            "AUTHENTICATION_ERROR" => TrackerError::Unauthorized { tracker: t, setting: LINEAR_API_KEY, detail },
            "FORBIDDEN" => TrackerError::Unauthorized { tracker: t, setting: LINEAR_API_KEY, detail },
            "RATELIMITED" => TrackerError::RateLimited { tracker: t, retry_after },
            _ if status == 401 => TrackerError::Unauthorized { tracker: t, setting: LINEAR_API_KEY, detail },
            _ => TrackerError::Invalid { tracker: t, setting: LINEAR_TEAM_ID, detail },
        });
    }
    let issue = &body["data"]["issueCreate"]["issue"];
    match (status, body["data"]["issueCreate"]["success"].as_bool(), issue["identifier"].as_str(), issue["url"].as_str()) {
        (200, Some(true), Some(key), Some(url)) => Ok(Created { key: key.to_string(), url: url.to_string() }),
        (401, ..) => Err(TrackerError::Unauthorized { tracker: t, setting: LINEAR_API_KEY, detail: format!("HTTP {status}") }),
        _ => Err(TrackerError::Unavailable {
            tracker: t,
            detail: format!("HTTP {status}: {}", crate::text::truncate_chars(&body.to_string(), 200)),
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use secrecy::SecretString;

    fn issue() -> NewIssue {
        NewIssue {
            title: "Checkout is slow: 38 items from 5 accounts in 28 days".into(),
            markdown: "## Evidence\n\n- **38 items**\n".into(),
        }
    }

    #[test]
    fn github_posts_the_markdown_to_the_repos_issues() {
        let s = GithubSettings { token: Some(SecretString::from("ghp_x")), repo: Some("acme/web".into()), ..Default::default() };
        let r = github(&s, &issue()).unwrap();
        assert_eq!(r.url, "https://api.github.com/repos/acme/web/issues");
        assert!(r.headers.contains(&("authorization", "Bearer ghp_x".into())));
        assert!(r.headers.contains(&("x-github-api-version", "2022-11-28".into())));
        assert_eq!(r.body, json!({"title": issue().title, "body": issue().markdown}));
        let unset = github(&GithubSettings { repo: None, ..s }, &issue()).unwrap_err();
        assert_eq!(unset.to_string(), "GitHub is not configured: set PUSHBACK_TRACKERS__GITHUB__REPO");
    }

    #[test]
    fn jira_sends_adf_with_basic_auth_to_rest_v3() {
        let s = JiraSettings {
            base_url: Some("https://acme.atlassian.net/".into()),
            email: Some("bot@acme.com".into()),
            api_token: Some(SecretString::from("tok")),
            project: Some("PROJ".into()),
            ..Default::default()
        };
        let r = jira(&s, &issue()).unwrap();
        assert_eq!(r.url, "https://acme.atlassian.net/rest/api/3/issue");
        // base64("bot@acme.com:tok")
        assert!(r.headers.contains(&("authorization", "Basic Ym90QGFjbWUuY29tOnRvaw==".into())));
        let f = &r.body["fields"];
        assert_eq!((f["project"]["key"].as_str(), f["issuetype"]["name"].as_str()), (Some("PROJ"), Some("Task")));
        assert_eq!(f["description"]["type"], "doc");
        assert_eq!(f["description"]["content"][0]["type"], "heading");
    }

    #[test]
    fn linear_uses_the_issue_create_mutation() {
        let s = LinearSettings { api_key: Some(SecretString::from("lin_api_x")), team_id: Some("team-1".into()), ..Default::default() };
        let r = linear(&s, &issue()).unwrap();
        assert_eq!(r.url, "https://api.linear.app/graphql");
        assert_eq!(r.headers, vec![("authorization", "lin_api_x".to_string())]);
        assert!(
            r.body["query"].as_str().unwrap().starts_with("mutation IssueCreate($input: IssueCreateInput!) { issueCreate(input: $input)")
        );
        assert_eq!(r.body["variables"]["input"], json!({"teamId": "team-1", "title": issue().title, "description": issue().markdown}));
    }

    #[test]
    fn created_issues_are_read_from_each_trackers_answer() {
        let gh = json!({"number": 12, "html_url": "https://github.com/acme/web/issues/12", "repository_url": "https://api.github.com/repos/acme/web"});
        assert_eq!(
            outcome(Tracker::Github, "", 201, None, &gh).unwrap(),
            Created { key: "acme/web#12".into(), url: "https://github.com/acme/web/issues/12".into() }
        );
        let jira = json!({"id": "10000", "key": "PROJ-123", "self": "https://acme.atlassian.net/rest/api/3/issue/10000"});
        assert_eq!(
            outcome(Tracker::Jira, "https://acme.atlassian.net", 201, None, &jira).unwrap().url,
            "https://acme.atlassian.net/browse/PROJ-123"
        );
        let lin = json!({"data": {"issueCreate": {"success": true, "issue": {"id": "u", "identifier": "ENG-42", "url": "https://linear.app/acme/issue/ENG-42"}}}});
        assert_eq!(outcome(Tracker::Linear, "", 200, None, &lin).unwrap().key, "ENG-42");
    }

    #[test]
    fn every_error_names_the_setting_to_fix() {
        let cases = [
            (Tracker::Github, 401, json!({"message": "Bad credentials"}), "check PUSHBACK_TRACKERS__GITHUB__TOKEN"),
            (Tracker::Github, 404, json!({"message": "Not Found"}), "check PUSHBACK_TRACKERS__GITHUB__REPO"),
            (
                Tracker::Github,
                422,
                json!({"message": "Validation Failed", "errors": [{"resource": "Issue", "field": "title", "code": "missing_field"}]}),
                "Validation Failed: title missing_field",
            ),
            (Tracker::Jira, 401, json!({}), "check PUSHBACK_TRACKERS__JIRA__EMAIL and PUSHBACK_TRACKERS__JIRA__API_TOKEN"),
            (
                Tracker::Jira,
                400,
                json!({"errorMessages": [], "errors": {"project": "valid project is required"}}),
                "project: valid project is required; check PUSHBACK_TRACKERS__JIRA__PROJECT",
            ),
            (
                Tracker::Jira,
                400,
                json!({"errors": {"issuetype": "Specify a valid issue type"}}),
                "check PUSHBACK_TRACKERS__JIRA__ISSUE_TYPE",
            ),
            (
                Tracker::Jira,
                404,
                json!({"errorMessages": ["No project could be found with key 'X'."]}),
                "check PUSHBACK_TRACKERS__JIRA__BASE_URL and PUSHBACK_TRACKERS__JIRA__PROJECT",
            ),
            (
                Tracker::Linear,
                400,
                json!({"errors": [{"message": "Authentication required, not authenticated", "extensions": {"code": "AUTHENTICATION_ERROR"}}]}),
                "check PUSHBACK_TRACKERS__LINEAR__API_KEY",
            ),
            (
                Tracker::Linear,
                200,
                json!({"errors": [{"message": "Argument Validation Error", "extensions": {"code": "INVALID_INPUT"}}]}),
                "check PUSHBACK_TRACKERS__LINEAR__TEAM_ID",
            ),
        ];
        for (tracker, status, body, expected) in cases {
            let e = outcome(tracker, "https://acme.atlassian.net", status, None, &body).unwrap_err().to_string();
            assert!(e.contains(expected), "{tracker} {status}: {e}");
        }
    }

    #[test]
    fn rate_limits_carry_retry_after() {
        for tracker in Tracker::ALL {
            let e = outcome(tracker, "", 429, Some(30), &json!({})).unwrap_err();
            assert_eq!(e, TrackerError::RateLimited { tracker: tracker.label(), retry_after: Some(30) });
            assert!(e.to_string().ends_with("try again in 30 s"), "{e}");
        }
        let linear = json!({"errors": [{"message": "Rate limit exceeded", "extensions": {"code": "RATELIMITED"}}]});
        assert!(matches!(outcome(Tracker::Linear, "", 400, None, &linear), Err(TrackerError::RateLimited { .. })));
    }
}
