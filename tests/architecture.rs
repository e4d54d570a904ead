//! The shape of `src/`, kept by a test: imports point down the data path (per the table in
//! `architecture.toml`), top-level modules form no cycle, the files inside one folder form no
//! cycle either (`super::x`, `self::x`, `crate::folder::x`), no file is over its line budget, and
//! clippy's `too_many_lines` is allowed nowhere. Each failure names the file and line to fix.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

#[derive(Debug, serde::Deserialize)]
struct Table {
    layers: Vec<Vec<String>>,
    leaves: Vec<String>,
    max_file_lines: usize,
}

/// Where a module may sit: a rank (higher imports lower) or a leaf.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Place {
    Layer(usize),
    Leaf,
}

impl Table {
    fn load(root: &Path) -> Self {
        let text = std::fs::read_to_string(root.join("architecture.toml")).expect("architecture.toml at the repository root");
        toml::from_str(&text).expect("architecture.toml parses")
    }

    fn place(&self, module: &str) -> Option<Place> {
        if self.leaves.iter().any(|l| l == module) {
            return Some(Place::Leaf);
        }
        let top = self.layers.len();
        self.layers.iter().position(|line| line.iter().any(|m| m == module)).map(|i| Place::Layer(top - i))
    }

    /// Why `from` may not import `to`, if it may not.
    fn violation(&self, from: &str, to: &str) -> Option<String> {
        if from == to {
            return None;
        }
        let (Some(a), Some(b)) = (self.place(from), self.place(to)) else {
            return Some(format!(
                "`{}` is not in architecture.toml; add it to a layer or to the leaves",
                if self.place(from).is_none() { from } else { to }
            ));
        };
        match (a, b) {
            (_, Place::Leaf) if a != Place::Leaf => None,
            (Place::Leaf, Place::Leaf) => None,
            (Place::Leaf, Place::Layer(1)) => None,
            (Place::Leaf, Place::Layer(_)) => {
                Some(format!("leaf `{from}` imports `{to}`; leaves may import only `domain` and other leaves"))
            }
            (Place::Layer(x), Place::Layer(y)) if y < x => None,
            (Place::Layer(x), Place::Layer(y)) if y == x => Some(format!("`{from}` imports `{to}`, a module on its own layer")),
            _ => Some(format!("`{from}` imports `{to}`, a module above it")),
        }
    }
}

/// The top-level module a file under `src/` belongs to (`slack/blocks.rs` -> `slack`); `None`
/// for the crate roots and binaries.
fn module_of(relative: &Path) -> Option<String> {
    let first = relative.components().next()?.as_os_str().to_str()?;
    let name = first.strip_suffix(".rs").unwrap_or(first);
    (!matches!(name, "lib" | "main" | "bin")).then(|| name.to_string())
}

/// Every `crate::<module>` a line of code names, grouped imports (`crate::{a, b::c}`) included.
fn crate_paths(line: &str) -> Vec<String> {
    let code = line.split("//").next().unwrap_or("");
    let mut out = Vec::new();
    let mut rest = code;
    while let Some(at) = rest.find("crate::") {
        let preceded = rest[..at].chars().last().is_some_and(|c| c.is_alphanumeric() || c == '_' || c == ':');
        let after = &rest[at + "crate::".len()..];
        if !preceded {
            if let Some(group) = after.strip_prefix('{') {
                out.extend(top_level_items(group).into_iter().filter_map(|p| ident(p.trim())));
            } else if let Some(name) = ident(after) {
                out.push(name);
            }
        }
        rest = after;
    }
    out
}

/// The comma-separated items of a `{...}` group (its text after the `{`), nested groups kept whole.
fn top_level_items(group: &str) -> Vec<&str> {
    let (mut depth, mut start, mut items) = (0usize, 0usize, Vec::new());
    for (i, c) in group.char_indices() {
        match c {
            '{' => depth += 1,
            '}' if depth == 0 => {
                items.push(&group[start..i]);
                return items;
            }
            '}' => depth -= 1,
            ',' if depth == 0 => {
                items.push(&group[start..i]);
                start = i + 1;
            }
            _ => {}
        }
    }
    items.push(&group[start..]);
    items
}

fn ident(text: &str) -> Option<String> {
    let name: String = text.chars().take_while(|c| c.is_alphanumeric() || *c == '_').collect();
    (!name.is_empty() && name != "self").then_some(name)
}

/// The lines outside `#[cfg(test)]` items, with their 1-based numbers.
fn non_test_lines(source: &str) -> Vec<(usize, &str)> {
    let mut out = Vec::new();
    let mut skipping = false;
    let mut depth = 0i64;
    let mut pending = false;
    for (i, line) in source.lines().enumerate() {
        if !skipping && line.trim_start().starts_with("#[cfg(test)]") {
            pending = true;
            continue;
        }
        if pending {
            pending = false;
            skipping = true;
            depth = 0;
        }
        if skipping {
            depth += line.matches('{').count() as i64 - line.matches('}').count() as i64;
            if depth <= 0 && (line.contains('}') || line.trim_end().ends_with(';')) {
                skipping = false;
            }
            continue;
        }
        out.push((i + 1, line));
    }
    out
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("src/ is readable") {
        let path = entry.expect("directory entry").path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// Import-direction problems in one file's text, as `file:line: why`.
fn check_imports(table: &Table, relative: &Path, source: &str, edges: &mut BTreeMap<String, BTreeSet<String>>) -> Vec<String> {
    let Some(module) = module_of(relative) else { return Vec::new() };
    let mut problems = Vec::new();
    for (n, line) in source.lines().enumerate() {
        for target in crate_paths(line) {
            edges.entry(module.clone()).or_default().insert(target.clone());
            if let Some(why) = table.violation(&module, &target) {
                problems.push(format!("src/{}:{}: {why}", relative.display(), n + 1));
            }
        }
    }
    problems
}

/// A cycle among top-level modules, as `a -> b -> a`.
fn find_cycle(edges: &BTreeMap<String, BTreeSet<String>>) -> Option<String> {
    fn visit(
        node: &str,
        edges: &BTreeMap<String, BTreeSet<String>>,
        path: &mut Vec<String>,
        done: &mut BTreeSet<String>,
    ) -> Option<String> {
        if let Some(at) = path.iter().position(|p| p == node) {
            let mut cycle = path[at..].to_vec();
            cycle.push(node.to_string());
            return Some(cycle.join(" -> "));
        }
        if done.contains(node) {
            return None;
        }
        path.push(node.to_string());
        for next in edges.get(node).into_iter().flatten().filter(|n| *n != node) {
            if let Some(cycle) = visit(next, edges, path, done) {
                return Some(cycle);
            }
        }
        path.pop();
        done.insert(node.to_string());
        None
    }
    let mut done = BTreeSet::new();
    edges.keys().find_map(|start| visit(start, edges, &mut Vec::new(), &mut done))
}

/// A file's module path: `slack/home.rs` -> [slack, home], `slack/mod.rs` -> [slack].
fn module_path(relative: &Path) -> Vec<String> {
    let mut parts: Vec<String> =
        relative.iter().filter_map(|c| c.to_str()).map(|c| c.strip_suffix(".rs").unwrap_or(c).to_string()).collect();
    if parts.last().is_some_and(|l| l == "mod" || l == "lib" || l == "main") {
        parts.pop();
    }
    parts
}

/// The `::`-separated identifiers at the start of `text`, and what follows them.
fn segments(text: &str) -> (Vec<String>, &str) {
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(name) = ident(rest).or_else(|| rest.starts_with("self").then(|| "self".to_string())) {
        let after = &rest[name.len()..];
        out.push(name);
        match after.strip_prefix("::") {
            Some(more) => rest = more,
            None => return (out, after),
        }
    }
    (out, rest)
}

/// Every absolute module path a line names from the module `module` (`super::`, `self::` and
/// `crate::` forms, grouped imports included).
fn module_paths(line: &str, module: &[String]) -> Vec<Vec<String>> {
    let code = line.split("//").next().unwrap_or("");
    let mut out = Vec::new();
    let mut rest = code;
    while let Some(at) = ["crate::", "super::", "self::"].iter().filter_map(|p| rest.find(p)).min() {
        let preceded = rest[..at].chars().last().is_some_and(|c| c.is_alphanumeric() || c == '_' || c == ':');
        let after = &rest[at..];
        if !preceded {
            let (segs, tail) = segments(after);
            let mut base: Vec<String> = Vec::new();
            let mut names = segs.iter().peekable();
            match names.peek().map(|s| s.as_str()) {
                Some("crate") => {
                    names.next();
                }
                Some("self") => {
                    names.next();
                    base = module.to_vec();
                }
                _ => {
                    base = module.to_vec();
                    while names.peek().is_some_and(|s| *s == "super") {
                        names.next();
                        base.pop();
                    }
                }
            }
            base.extend(names.filter(|s| *s != "self").cloned());
            match tail.strip_prefix("::{").or_else(|| tail.strip_prefix('{')) {
                Some(group) => {
                    for item in top_level_items(group) {
                        let (more, _) = segments(item.trim());
                        let mut path = base.clone();
                        path.extend(more.into_iter().filter(|s| s != "self"));
                        out.push(path);
                    }
                }
                None => out.push(base),
            }
        }
        let consumed = if preceded { after.find("::").map_or(after.len(), |i| i + 2) } else { after.len() - segments(after).1.len() };
        rest = &after[consumed.max(1)..];
    }
    out
}

/// Edges between the files (and subfolders) of each folder, keyed by folder: `slack/home.rs`
/// naming `super::blocks` is `home -> blocks` in `slack`. Only code outside tests counts (a
/// test module's `super` is its file).
fn folder_edges(relative: &Path, source: &str, edges: &mut BTreeMap<String, BTreeMap<String, BTreeSet<String>>>) {
    let from = module_path(relative);
    for (_, line) in non_test_lines(source) {
        for to in module_paths(line, &from) {
            let common = from.iter().zip(&to).take_while(|(a, b)| a == b).count();
            if common == 0 {
                continue;
            }
            if let (Some(a), Some(b)) = (from.get(common), to.get(common)) {
                edges.entry(from[..common].join("/")).or_default().entry(a.clone()).or_default().insert(b.clone());
            }
        }
    }
}

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn sources() -> Vec<(PathBuf, String)> {
    let src = root().join("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    files.sort();
    files
        .into_iter()
        .map(|f| {
            let text = std::fs::read_to_string(&f).expect("source is readable");
            (f.strip_prefix(&src).expect("under src").to_path_buf(), text)
        })
        .collect()
}

#[test]
fn imports_point_down_the_data_path_and_form_no_cycle() {
    let table = Table::load(&root());
    let mut edges = BTreeMap::new();
    let mut problems = Vec::new();
    for (relative, text) in sources() {
        // Test modules included: their fixtures follow the same direction.
        problems.extend(check_imports(&table, &relative, &text, &mut edges));
    }
    assert!(problems.is_empty(), "imports that point up the data path (architecture.toml):\n{}", problems.join("\n"));
    if let Some(cycle) = find_cycle(&edges) {
        panic!("top-level modules form a cycle: {cycle}");
    }
}

#[test]
fn the_files_inside_each_folder_form_no_cycle() {
    let mut edges = BTreeMap::new();
    for (relative, text) in sources() {
        folder_edges(&relative, &text, &mut edges);
    }
    let cycles: Vec<String> = edges.iter().filter_map(|(folder, e)| find_cycle(e).map(|c| format!("src/{folder}/: {c}"))).collect();
    assert!(
        cycles.is_empty(),
        "files import each other in a circle; move the shared part down (in slack/: transport such as answer, client, views below the message modules, which import no handler):\n{}",
        cycles.join("\n")
    );
}

#[test]
fn no_source_file_is_over_its_line_budget() {
    let table = Table::load(&root());
    let over: Vec<String> = sources()
        .into_iter()
        .filter_map(|(relative, text)| {
            let n = non_test_lines(&text).len();
            (n > table.max_file_lines)
                .then(|| format!("src/{}: {n} lines outside tests (limit {})", relative.display(), table.max_file_lines))
        })
        .collect();
    assert!(over.is_empty(), "split these along their seams:\n{}", over.join("\n"));
}

#[test]
fn too_many_lines_is_allowed_nowhere() {
    let mut files = sources();
    for dir in ["tests", "fuzz/src", "fuzz/fuzz_targets"] {
        let mut more = Vec::new();
        rust_files(&root().join(dir), &mut more);
        files.extend(more.into_iter().map(|f| (f.clone(), std::fs::read_to_string(&f).expect("readable"))));
    }
    let needle = ["clippy::", "too_many_lines"].concat();
    let allowed: Vec<String> = files
        .iter()
        .flat_map(|(path, text)| {
            text.lines()
                .enumerate()
                .filter(|(_, l)| l.contains("allow(") && l.contains(&needle))
                .map(move |(n, _)| format!("{}:{}", path.display(), n + 1))
        })
        .collect();
    assert!(allowed.is_empty(), "functions over 60 lines must be split, not allowed: {allowed:?}");
    let clippy = std::fs::read_to_string(root().join("clippy.toml")).expect("clippy.toml");
    assert!(clippy.contains("too-many-lines-threshold = 60"), "clippy.toml sets the function budget");
}

// The checker itself: it must fail on the mistakes it exists to catch.

fn table() -> Table {
    toml::from_str(
        r#"layers = [["slack"], ["evidence"], ["store"], ["domain"]]
           leaves = ["text", "config"]
           max_file_lines = 400"#,
    )
    .unwrap()
}

#[test]
fn an_upward_import_is_named_with_its_file_and_line() {
    let mut edges = BTreeMap::new();
    let source = "use crate::domain::Feedback;\n\nuse crate::slack::blocks::SlackMessage;\n";
    let problems = check_imports(&table(), Path::new("evidence/render/mod.rs"), source, &mut edges);
    assert_eq!(problems, vec!["src/evidence/render/mod.rs:3: `evidence` imports `slack`, a module above it".to_string()]);
}

#[test]
fn grouped_inline_and_sibling_imports_are_seen() {
    assert_eq!(crate_paths("use crate::{store::Store, domain::{Kind, Source}, self};"), vec!["store", "domain"]);
    assert_eq!(crate_paths("    let x = crate::slack::blocks::escape(t); // crate::ignored"), vec!["slack"]);
    assert_eq!(crate_paths("let y = mycrate::slack::x;"), Vec::<String>::new());
    let t = table();
    assert!(t.violation("store", "domain").is_none() && t.violation("store", "text").is_none());
    assert!(t.violation("text", "store").unwrap().contains("leaf `text`"));
    assert!(t.violation("text", "domain").is_none() && t.violation("config", "text").is_none());
    assert!(t.violation("store", "unknown").unwrap().contains("not in architecture.toml"));
}

#[test]
fn a_cycle_is_found_and_spelled_out() {
    let mut edges: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    edges.entry("a".into()).or_default().insert("b".into());
    edges.entry("b".into()).or_default().insert("c".into());
    assert_eq!(find_cycle(&edges), None);
    edges.entry("c".into()).or_default().insert("a".into());
    assert_eq!(find_cycle(&edges).as_deref(), Some("a -> b -> c -> a"));
}

#[test]
fn test_blocks_do_not_count_towards_the_line_budget() {
    let source = "fn a() {}\n#[cfg(test)]\nmod tests {\n    fn b() {\n    }\n}\nfn c() {}\n";
    assert_eq!(non_test_lines(source), vec![(1, "fn a() {}"), (7, "fn c() {}")]);
}

#[test]
fn sibling_imports_in_every_form_make_folder_edges_and_their_cycles_are_found() {
    let mut edges = BTreeMap::new();
    folder_edges(Path::new("slack/home.rs"), "use super::blocks::{escape, section};\nuse super::{client, views::ViewRef};\n", &mut edges);
    folder_edges(Path::new("slack/views.rs"), "let s = crate::slack::answer::SlackState::new(app);\n", &mut edges);
    folder_edges(Path::new("slack/socket/dispatch.rs"), "use super::super::routes::{self, apology};\nuse super::frames;\n", &mut edges);
    folder_edges(Path::new("slack/mod.rs"), "pub use self::routes::router;\nuse crate::app::AppState;\n", &mut edges);
    folder_edges(Path::new("slack/answer.rs"), "#[cfg(test)]\nmod tests {\n    use super::super::home::x;\n}\n", &mut edges);
    let slack = &edges["slack"];
    let names = |m: &str| slack[m].iter().cloned().collect::<Vec<_>>();
    assert_eq!(names("home"), vec!["blocks", "client", "views"]);
    assert_eq!(names("views"), vec!["answer"]);
    assert_eq!(names("socket"), vec!["routes"]);
    assert!(!slack.contains_key("answer"), "a test module's imports do not count");
    assert_eq!(edges["slack/socket"]["dispatch"].iter().collect::<Vec<_>>(), vec!["frames"]);
    assert_eq!(find_cycle(slack), None);
    folder_edges(Path::new("slack/answer.rs"), "use super::home::Figures;\n", &mut edges);
    folder_edges(Path::new("slack/client.rs"), "fn f() { crate::slack::views::open(); }\n", &mut edges);
    assert_eq!(find_cycle(&edges["slack"]).as_deref(), Some("answer -> home -> client -> views -> answer"));
}
