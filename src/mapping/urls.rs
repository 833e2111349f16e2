//! Flask routes to Django URLconfs and view stubs.
//!
//! Every Flask endpoint becomes a reversible Django URL name: a blueprint is an app whose
//! `app_name` is the blueprint's name, so `bp.view` is `bp:view` (nested blueprints nest
//! namespaces) and a top-level endpoint keeps its name. Rules become `path()` routes; converters
//! come from `mappings/url_converters.toml`, with a generated converter class wherever Django's
//! built-in ones would match different URLs than Werkzeug's.

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;

use super::apps::blueprint_labels;
use super::models::{PlanItem, CORE_APP};
use super::py::{camel_case, identifier, name_part, quote, Py};
use crate::inventory::model::{Converter, Inventory, Location, RenderTemplate, Route, Status};

const CONVERTERS_TOML: &str = include_str!("../../mappings/url_converters.toml");
const DECORATORS_TOML: &str = include_str!("../../mappings/decorators.toml");

#[derive(Debug, Clone, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ConverterRow {
    pub werkzeug: String,
    pub class: String,
    #[serde(default)]
    pub django: Option<String>,
    pub regex: String,
    pub python: String,
    pub weight: i64,
    #[serde(default = "isolating_by_default")]
    pub part_isolating: bool,
    pub status: String,
    #[serde(default)]
    pub reason: Option<String>,
}

/// Werkzeug's `BaseConverter.part_isolating`.
fn isolating_by_default() -> bool {
    true
}

#[derive(Debug, Clone, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DecoratorRow {
    pub flask: String,
    pub django: String,
    pub import: String,
    /// Objects or modules the decorator may be written on (`flask_login` for
    /// `@flask_login.login_required`, `csrf` for `@csrf.exempt`).
    #[serde(default)]
    pub receivers: Vec<String>,
    pub status: String,
    #[serde(default)]
    pub reason: Option<String>,
}

#[derive(serde::Deserialize)]
struct ConverterFile {
    converter: Vec<ConverterRow>,
}

#[derive(serde::Deserialize)]
struct DecoratorFile {
    decorator: Vec<DecoratorRow>,
}

pub fn converter_table() -> Result<Vec<ConverterRow>, super::tables::TableError> {
    let f: ConverterFile = toml::from_str(CONVERTERS_TOML)
        .map_err(|e| super::tables::TableError::Parse { file: "url_converters.toml", message: e.to_string() })?;
    Ok(f.converter)
}

pub fn decorator_table() -> Result<Vec<DecoratorRow>, super::tables::TableError> {
    let f: DecoratorFile = toml::from_str(DECORATORS_TOML)
        .map_err(|e| super::tables::TableError::Parse { file: "decorators.toml", message: e.to_string() })?;
    for d in &f.decorator {
        if d.status != "auto" && d.reason.is_none() {
            return Err(super::tables::TableError::Parse {
                file: "decorators.toml",
                message: format!("decorator `{}`: a `{}` row needs a reason", d.flask, d.status),
            });
        }
    }
    Ok(f.decorator)
}

#[derive(Debug, Clone, Serialize, Default)]
pub struct UrlsPlan {
    /// Every app with a URLconf, parents before children.
    pub apps: Vec<AppUrls>,
    /// Converter classes for `core/converters.py`.
    pub converters: Vec<ConverterClass>,
    /// `handler404 = "core.views.handler404"`, ...
    pub handlers: Vec<(u16, String)>,
    /// The root URLconf's entries in Werkzeug's order: the app's own routes and the top-level
    /// blueprints' includes, most specific first, so Django's first match is Werkzeug's match.
    pub root: Vec<RootEntry>,
    /// Where the Django admin is mounted (`admin/`, or `django-admin/` when a Flask rule serves
    /// `/admin`, by name or by a variable first segment);
    /// None when a blueprint named `admin` takes the admin site's namespace.
    pub admin_prefix: Option<String>,
    pub items: Vec<PlanItem>,
}

#[derive(Debug, Clone, Serialize, Default)]
pub struct AppUrls {
    pub label: String,
    /// `app_name`: the blueprint's own name; None for `core` (top-level endpoints).
    pub namespace: Option<String>,
    /// The app whose URLconf includes this one (None: the root URLconf).
    pub parent: Option<String>,
    /// The include prefix, relative to the parent's.
    pub prefix: String,
    pub patterns: Vec<UrlPattern>,
    pub views: Vec<ViewDef>,
    /// Other apps whose views the URLconf uses.
    pub view_imports: BTreeSet<String>,
    pub uses_converters: bool,
    /// The blueprint (registration name) it stands for.
    pub blueprint: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct UrlPattern {
    /// Django route, relative to the include prefix.
    pub route: String,
    /// The view expression (`views.index`, `views.PostAPI.as_view()`).
    pub view: String,
    pub kwargs: Vec<(String, Py)>,
    pub name: Option<String>,
    /// An included child URLconf instead of a view (`api_v1.urls`).
    pub include: Option<String>,
    pub comment: Option<String>,
    /// Werkzeug's build preference for the rule: (alias, -arguments, -defaults); lower builds first.
    #[serde(skip)]
    pub build_key: (u8, i64, i64, i64),
    /// Every rule behind it is shadowed in Flask (FD104): it goes after everything else.
    #[serde(skip)]
    pub shadowed: bool,
    /// Where Werkzeug's matcher tries the rule; for an include, where it tries the least
    /// specific of the included rules.
    #[serde(skip)]
    pub match_key: MatchKey,
}

/// Where Werkzeug's matcher tries a rule, as a sort key: Django, which takes the first pattern
/// that matches, gives the same answer as Werkzeug when the patterns are in this order.
///
/// Werkzeug splits a rule into parts at its slashes (after a converter whose values may hold a
/// `/`, such as `path`, the rest of the rule is one part) and walks them as a tree, backtracking:
/// at each part it tries the fixed text first, then the parts with variables, ordered by their
/// `Weighting` (more pieces of fixed text first, longer first; then more variables first, then
/// the converters' weights, lower first). The rules in the order of that walk are the rules
/// sorted by their parts, each part compared so.
#[derive(Debug, Clone, Default, PartialEq, Eq, PartialOrd, Ord)]
pub struct MatchKey(Vec<MatchPart>);

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
enum MatchPart {
    /// Fixed text: tried first. Different texts never match one URL part; their order is free.
    Fixed(String),
    /// Werkzeug's `Weighting` of a part with variables, then the part (converters and fixed
    /// text) so that different parts of one weight keep a fixed order.
    Variable { fixed_count: i64, fixed: Vec<(i64, i64)>, variable_count: i64, weights: Vec<i64>, text: String },
}

/// One entry of the root URLconf: a pattern of the app itself, or a blueprint's include.
#[derive(Debug, Clone, Serialize)]
pub enum RootEntry {
    Pattern(UrlPattern),
    Include { label: String, prefix: String },
}

#[derive(Debug, Clone, Serialize, Default)]
pub struct ViewDef {
    pub name: String,
    /// `function`, `class`, `dispatch`.
    pub kind: String,
    /// URL parameters, with a default of None for those some rule lacks.
    pub params: Vec<(String, bool)>,
    /// HTTP methods, upper-case, without OPTIONS unless the Flask view answers it.
    pub methods: Vec<String>,
    /// Flask answers OPTIONS itself for a rule the view serves (`provide_automatic_options`).
    pub automatic_options: bool,
    /// Decorator lines (without `@`), outermost first.
    pub decorators: Vec<String>,
    pub imports: BTreeSet<String>,
    /// The Flask view (`shop.views.index`) and its location.
    pub source: String,
    #[serde(flatten)]
    pub location: Location,
    /// Lines of the Flask definition, for the comment in the stub.
    pub lines: Option<[u32; 2]>,
    pub render: Option<RenderTemplate>,
    pub todos: Vec<String>,
    /// For `dispatch`: method → view function name, and method → Django URL name.
    pub dispatch: Vec<(String, String)>,
    pub dispatch_names: Vec<(String, String)>,
    /// For `dispatch` when the rules name their variables differently: method → the view's
    /// parameter names, in URL order (empty when all agree).
    pub dispatch_params: Vec<(String, Vec<String>)>,
    /// Flask endpoints served (for the docstring).
    pub endpoints: Vec<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ConverterClass {
    /// The class: one of the base classes of `core/converters.py`, or a subclass of one.
    pub class: String,
    /// The name used in routes (`flask_int_min_1_max_99`), derived from the arguments.
    pub name: String,
    /// The base class (`IntConverter`, ...); equal to `class` when there are no arguments.
    pub base: String,
    /// Class attributes the subclass sets (`regex`, `fixed_digits`, `min`, `max`, `items`).
    pub attrs: Vec<(String, Py)>,
    pub todo: Option<String>,
}

pub fn plan(inv: &Inventory, project: &str) -> Result<UrlsPlan, super::tables::TableError> {
    let converters = converter_table()?;
    let decorators = decorator_table()?;
    let labels = blueprint_labels(inv, project);
    let primary = inv.apps.first().map(|a| a.id.clone());
    let routes: Vec<&Route> = inv.routes.iter().filter(|r| r.app == primary && primary.is_some()).collect();
    let mut p = Planner {
        inv,
        converters,
        decorators,
        labels,
        out: UrlsPlan::default(),
        conv_classes: BTreeMap::new(),
        apps: BTreeMap::new(),
        view_home: BTreeMap::new(),
    };
    p.out.admin_prefix = Some(if routes.iter().any(|r| r.rule.as_deref().is_some_and(takes_admin)) {
        "django-admin/".into()
    } else {
        "admin/".into()
    });
    p.run(&routes);
    if let Some(bp) = p.out.apps.iter().find(|a| a.parent.is_none() && a.namespace.as_deref() == Some("admin")) {
        let loc = p
            .inv
            .blueprints
            .iter()
            .find(|b| Some(&b.name) == bp.blueprint.as_ref())
            .map(|b| b.location.clone())
            .unwrap_or_default();
        p.out.admin_prefix = None;
        p.item(
            "blueprint",
            "admin".into(),
            &loc,
            "manual",
            String::new(),
            Some("the blueprint `admin` takes the URL namespace of Django's admin site, so the admin site is not mounted: rename one of them to use both".into()),
        );
    }
    Ok(p.out)
}

struct Planner<'a> {
    inv: &'a Inventory,
    converters: Vec<ConverterRow>,
    decorators: Vec<DecoratorRow>,
    labels: BTreeMap<String, String>,
    out: UrlsPlan,
    /// (werkzeug converter, arguments) → class.
    conv_classes: BTreeMap<(String, String), ConverterClass>,
    apps: BTreeMap<String, AppUrls>,
    /// Flask view path → (app label, view name).
    view_home: BTreeMap<String, (String, String)>,
}

/// One Flask rule, converted.
struct Converted {
    route: String,
    params: Vec<String>,
    converters: bool,
}

impl Planner<'_> {
    fn item(&mut self, kind: &str, name: String, loc: &Location, status: &str, target: String, reason: Option<String>) {
        self.out.items.push(PlanItem::new(kind, name, loc, status, target, reason));
    }

    fn app_for(&mut self, blueprint: Option<&str>) -> String {
        let Some(bp) = blueprint else {
            self.ensure_app(CORE_APP, None, None);
            return CORE_APP.to_string();
        };
        let label = self.labels.get(bp).cloned().unwrap_or_else(|| super::apps::app_label(bp));
        if !self.apps.contains_key(&label) {
            // Nested blueprints: the parent registration owns the namespace above this one.
            let (parent, ns) = match bp.rsplit_once('.') {
                Some((parent, last)) => (Some(self.app_for(Some(parent))), last.to_string()),
                None => (None, bp.to_string()),
            };
            self.ensure_app(&label, Some(ns), parent);
            self.apps.get_mut(&label).unwrap().blueprint = Some(bp.to_string());
        }
        label
    }

    fn ensure_app(&mut self, label: &str, namespace: Option<String>, parent: Option<String>) {
        self.apps.entry(label.to_string()).or_insert_with(|| AppUrls {
            label: label.to_string(),
            namespace,
            parent,
            ..Default::default()
        });
    }

    fn run(&mut self, routes: &[&Route]) {
        self.ensure_app(CORE_APP, None, None);
        // Rules, grouped by app and by Django route (several Flask rules may share one URL).
        let mut groups: BTreeMap<(String, String), Vec<(&Route, Converted)>> = BTreeMap::new();
        for r in routes {
            let name = r.endpoint.clone().unwrap_or_else(|| "?".into());
            if r.kind == "static" {
                self.item(
                    "route",
                    name,
                    &r.location,
                    "auto",
                    "django.contrib.staticfiles".into(),
                    Some("static files are served by django.contrib.staticfiles (STATIC_URL)".into()),
                );
                continue;
            }
            let (Some(rule), Some(_), Status::Resolved | Status::Unreachable) = (&r.rule, &r.endpoint, r.status) else {
                self.item(
                    "route",
                    name,
                    &r.location,
                    "manual",
                    String::new(),
                    Some(r.reason.clone().unwrap_or_else(|| "the rule or endpoint is only known at run time".into())),
                );
                continue;
            };
            if r.subdomain.is_some() || r.host.is_some() {
                self.item("route", name, &r.location, "manual", String::new(), Some("subdomain or host matching has no Django URLconf counterpart: route by host in middleware (django-hosts)".into()));
                continue;
            }
            let converted = match self.convert_rule(rule) {
                Ok(c) => c,
                Err(why) => {
                    self.item("route", name, &r.location, "manual", String::new(), Some(why));
                    continue;
                }
            };
            let app = self.app_for(r.blueprint.as_deref());
            // Rules that differ only in their variables' names match the same URLs.
            groups.entry((app, route_shape(&converted.route))).or_default().push((r, converted));
        }
        // Each app's common prefix, so a URLconf holds routes relative to it.
        let mut by_app: BTreeMap<String, Vec<String>> = BTreeMap::new();
        for (app, route) in groups.keys() {
            by_app.entry(app.clone()).or_default().push(route.clone());
        }
        let mut absolute_prefix: BTreeMap<String, String> = BTreeMap::new();
        for (app, routes) in &by_app {
            absolute_prefix.insert(app.clone(), common_prefix(routes));
        }
        // Parents' prefixes must be prefixes of their children's.
        let labels: Vec<String> = self.apps.keys().cloned().collect();
        for label in &labels {
            let mut anc = self.apps[label].parent.clone();
            while let Some(a) = anc {
                let child = absolute_prefix.get(label).cloned().unwrap_or_default();
                let mine = absolute_prefix.get(&a).cloned();
                let merged = match mine {
                    Some(m) => common_prefix(&[m, child]),
                    None => child,
                };
                absolute_prefix.insert(a.clone(), merged);
                anc = self.apps[&a].parent.clone();
            }
        }
        absolute_prefix.insert(CORE_APP.into(), String::new());
        for label in &labels {
            let abs = absolute_prefix.get(label).cloned().unwrap_or_default();
            let parent_abs =
                self.apps[label].parent.as_ref().and_then(|p| absolute_prefix.get(p).cloned()).unwrap_or_default();
            self.apps.get_mut(label).unwrap().prefix = abs.strip_prefix(&parent_abs).unwrap_or(&abs).to_string();
        }

        // Views and patterns.
        // Each app's groups in Werkzeug's matching order.
        let mut group_list: Vec<_> = groups
            .into_iter()
            .map(|g| {
                let key =
                    g.1.first().and_then(|(r, _)| r.rule.as_deref()).map(|r| self.match_key(r)).unwrap_or_default();
                (key, g)
            })
            .collect();
        group_list.sort_by(|(ka, a), (kb, b)| (&a.0 .0, ka, &a.0 .1).cmp(&(&b.0 .0, kb, &b.0 .1)));
        for (_, ((app, _), rules)) in group_list {
            let abs = absolute_prefix.get(&app).cloned().unwrap_or_default();
            self.patterns_for(&app, &abs, &rules);
        }
        for a in self.apps.values_mut() {
            order_for_reverse(&mut a.patterns, |p| Some(p));
        }
        // Children are included by their parents, the deepest first, each where Werkzeug tries
        // the least specific of its rules.
        let parents: BTreeMap<String, Option<String>> =
            self.apps.iter().map(|(l, a)| (l.clone(), a.parent.clone())).collect();
        let mut deepest_first = labels.clone();
        deepest_first.sort_by_key(|l| std::cmp::Reverse(depth(l, &parents)));
        for label in &deepest_first {
            let a = &self.apps[label];
            let Some(parent) = a.parent.clone() else { continue };
            let match_key = a.patterns.iter().map(|p| p.match_key.clone()).max().unwrap_or_default();
            let pat = UrlPattern {
                route: a.prefix.clone(),
                view: String::new(),
                kwargs: vec![],
                name: None,
                include: Some(format!("{}.urls", a.label)),
                comment: None,
                build_key: (0, 0, 0, 0),
                shadowed: false,
                match_key,
            };
            let list = &mut self.apps.get_mut(&parent).unwrap().patterns;
            let at = list.iter().position(|p| p.match_key > pat.match_key).unwrap_or(list.len());
            list.insert(at, pat);
        }
        self.error_handlers();
        self.out.root = self.root_entries();
        let mut apps: Vec<AppUrls> = std::mem::take(&mut self.apps).into_values().collect();
        // Parents before children, `core` first.
        let parents = apps_parent_map(&apps);
        apps.sort_by_key(|a| (a.label != CORE_APP, depth(&a.label, &parents), a.label.clone()));
        self.out.apps = apps;
        self.out.converters = std::mem::take(&mut self.conv_classes).into_values().collect();
        self.out.converters.sort_by(|a, b| a.name.cmp(&b.name));
    }

    /// The root URLconf: `core`'s patterns inline, each top-level blueprint as an include placed
    /// by its least specific route, shadowed patterns last.
    fn root_entries(&self) -> Vec<RootEntry> {
        type Key = (bool, MatchKey, usize);
        let mut keyed: Vec<(Key, RootEntry)> = Vec::new();
        if let Some(core) = self.apps.get(CORE_APP) {
            for (i, p) in core.patterns.iter().enumerate() {
                keyed.push(((p.shadowed, p.match_key.clone(), i), RootEntry::Pattern(p.clone())));
            }
        }
        for (i, a) in self.apps.values().filter(|a| a.parent.is_none() && a.label != CORE_APP).enumerate() {
            let key = a.patterns.iter().map(|p| p.match_key.clone()).max().unwrap_or_default();
            keyed.push((
                (false, key, 10_000 + i),
                RootEntry::Include { label: a.label.clone(), prefix: a.prefix.clone() },
            ));
        }
        keyed.sort_by(|a, b| a.0.cmp(&b.0));
        let mut entries: Vec<RootEntry> = keyed.into_iter().map(|(_, e)| e).collect();
        order_for_reverse(&mut entries, |e| match e {
            RootEntry::Pattern(p) => Some(p),
            RootEntry::Include { .. } => None,
        });
        entries
    }

    fn patterns_for(&mut self, app: &str, abs: &str, rules: &[(&Route, Converted)]) {
        let rel_of = |c: &Converted| c.route.strip_prefix(abs).unwrap_or(&c.route).to_string();
        let rel = &rel_of(&rules[0].1);
        // Endpoints sharing this URL: one view each, and a dispatcher when they differ.
        let mut endpoints: Vec<(String, Vec<&Route>)> = Vec::new();
        for (r, _) in rules {
            let ep = r.endpoint.clone().unwrap_or_default();
            match endpoints.iter_mut().find(|(e, _)| e == &ep) {
                Some((_, v)) => v.push(r),
                None => endpoints.push((ep, vec![r])),
            }
        }
        let uses_conv = rules.iter().any(|(_, c)| c.converters);
        let mut view_refs: Vec<(String, String, Vec<String>)> = Vec::new(); // (endpoint, view expr, methods)
        for (ep, rs) in &endpoints {
            let expr = self.view_for(app, rs);
            let methods: Vec<String> = methods_of(rs);
            view_refs.push((ep.clone(), expr, methods));
        }
        // Django resolves a URL to its first pattern: the endpoint Flask serves a GET with.
        view_refs.sort_by_key(|(_, _, m)| !m.iter().any(|x| x == "GET"));
        let ns = self.namespace_path(app);
        let a = self.apps.get_mut(app).unwrap();
        a.uses_converters |= uses_conv;
        let dispatcher = if view_refs.len() > 1 {
            // One URL, several functions by method: a view that dispatches, every name kept.
            // Named after the URL's fixed parts: `songs/<int:id>/comments` → `songs_comments`.
            let fixed: Vec<&str> = rel.split('/').filter(|seg| !seg.is_empty() && !seg.contains('<')).collect();
            let base = identifier(&fixed.join("_").replace(['.', '-'], "_"), "root");
            let mut name = format!("{}_by_method", base.trim_matches('_'));
            name = name.trim_start_matches('_').to_string();
            if name.starts_with("_by") || name.is_empty() {
                name = "root_by_method".into();
            }
            let taken: BTreeSet<String> = a.views.iter().map(|v| v.name.clone()).collect();
            let mut unique = name.clone();
            let mut i = 2;
            while taken.contains(&unique) {
                unique = format!("{name}_{i}");
                i += 1;
            }
            let mut dispatch = Vec::new();
            let mut dispatch_names = Vec::new();
            let mut dispatch_params = Vec::new();
            let params_of = |ep: &str| -> Vec<String> {
                rules
                    .iter()
                    .find(|(r, _)| r.endpoint.as_deref() == Some(ep))
                    .map(|(_, c)| c.params.clone())
                    .unwrap_or_default()
            };
            for (ep, expr, methods) in &view_refs {
                let short = url_name(&ns, ep);
                let full = if ns.is_empty() { short } else { format!("{ns}:{short}") };
                for m in methods {
                    if !dispatch.iter().any(|(x, _): &(String, String)| x == m) {
                        dispatch.push((m.clone(), expr.clone()));
                        dispatch_names.push((m.clone(), full.clone()));
                        dispatch_params.push((m.clone(), params_of(ep)));
                    }
                }
            }
            // The URL's variables arrive under the first (GET) endpoint's names; a view whose
            // rule names them differently gets them renamed, by position.
            let first_params = params_of(&view_refs[0].0);
            let renames = dispatch_params.iter().any(|(_, p)| p != &first_params);
            let params = if renames {
                first_params.iter().map(|p| (p.clone(), false)).collect()
            } else {
                union_params(rules.iter().map(|(_, c)| &c.params))
            };
            a.views.push(ViewDef {
                name: unique.clone(),
                kind: "dispatch".into(),
                params,
                methods: dispatch.iter().map(|(m, _)| m.clone()).collect(),
                automatic_options: automatic_options(&rules.iter().map(|(r, _)| *r).collect::<Vec<_>>()),
                dispatch,
                dispatch_names,
                dispatch_params: if renames { dispatch_params } else { vec![] },
                endpoints: view_refs.iter().map(|(e, _, _)| e.clone()).collect(),
                source: String::new(),
                ..Default::default()
            });
            Some(format!("views.{unique}"))
        } else {
            None
        };
        for (ep, expr, methods) in &view_refs {
            let rs: Vec<&Route> = endpoints.iter().find(|(e, _)| e == ep).map(|(_, v)| v.clone()).unwrap_or_default();
            let view = dispatcher.clone().unwrap_or_else(|| expr.clone());
            // Flask `defaults` become the view's extra keyword arguments.
            let defaults: BTreeMap<String, serde_json::Value> =
                rs.iter().flat_map(|r| r.defaults.iter().map(|(k, v)| (k.clone(), v.clone()))).collect();
            let kwargs: Vec<(String, Py)> =
                defaults.iter().filter_map(|(k, v)| super::py::from_json(v).map(|p| (k.clone(), p))).collect();
            let short = url_name(&self.namespace_path(app), ep);
            let comment =
                Some(format!("{} {}", rs.first().and_then(|r| r.rule.clone()).unwrap_or_default(), methods.join(",")));
            let arguments = rs.iter().map(|r| r.arguments.len()).max().unwrap_or(0) as i64;
            // Registration order: stacked route decorators register bottom-up.
            let registered = rs
                .iter()
                .map(|r| if r.kind == "route" { -(r.location.line as i64) } else { r.location.line as i64 })
                .min()
                .unwrap_or(0);
            let build_key = (0, -arguments, -(defaults.len() as i64), registered);
            let shadowed = rs.iter().all(|r| r.status == Status::Unreachable);
            let match_key =
                rules.first().and_then(|(r, _)| r.rule.as_deref()).map(|r| self.match_key(r)).unwrap_or_default();
            let rel = &rules
                .iter()
                .find(|(r, _)| r.endpoint.as_deref() == Some(ep.as_str()))
                .map(|(_, c)| rel_of(c))
                .unwrap_or_else(|| rel.clone());
            let a = self.apps.get_mut(app).unwrap();
            // `strict_slashes=False`: Werkzeug serves the URL with and without the trailing
            // slash, no redirect. The other form comes first and has no name, so reverse()
            // still gives the rule's own form.
            if !rel.is_empty() && rs.iter().any(|r| r.strict_slashes == Some(false)) {
                let other = match rel.strip_suffix('/') {
                    Some(without) => without.to_string(),
                    None => format!("{rel}/"),
                };
                if !other.is_empty() {
                    a.patterns.push(UrlPattern {
                        route: other,
                        view: view.clone(),
                        kwargs: kwargs.clone(),
                        name: None,
                        include: None,
                        comment: Some("the same view without the rule's strict slashes".into()),
                        build_key,
                        shadowed,
                        match_key: match_key.clone(),
                    });
                }
            }
            a.patterns.push(UrlPattern {
                route: rel.to_string(),
                view,
                kwargs,
                name: Some(short.clone()),
                include: None,
                comment,
                build_key,
                shadowed,
                match_key,
            });
            for r in &rs {
                let reasons: Vec<String> = r
                    .decorators
                    .iter()
                    .filter_map(|d| {
                        let row = self.decorator_row(d).filter(|row| row.status != "auto")?;
                        Some(format!("@{d}: {}", row.reason.clone().unwrap_or_default()))
                    })
                    .collect();
                let (status, reason) =
                    if reasons.is_empty() { ("auto", None) } else { ("review", Some(reasons.join("\n"))) };
                let ns = self.namespace_path(app);
                let name = if ns.is_empty() { short.clone() } else { format!("{ns}:{short}") };
                self.item("route", ep.clone(), &r.location, status, name, reason);
            }
        }
    }

    fn namespace_path(&self, app: &str) -> String {
        let mut parts = Vec::new();
        let mut cur = self.apps.get(app);
        while let Some(a) = cur {
            if let Some(ns) = &a.namespace {
                parts.push(ns.clone());
            }
            cur = a.parent.as_ref().and_then(|p| self.apps.get(p));
        }
        parts.reverse();
        parts.join(":")
    }

    fn decorator_row(&self, written: &str) -> Option<&DecoratorRow> {
        let head = written.split('(').next().unwrap_or(written).trim();
        let (receiver, name) = match head.rsplit_once('.') {
            Some((r, n)) => (Some(r), n),
            None => (None, head),
        };
        // `@token_auth.login_required` (Flask-HTTPAuth) is not Flask-Login's decorator: a row
        // matches a decorator written on an object only when it lists that object.
        self.decorators.iter().find(|d| {
            d.flask == name
                && match receiver {
                    None => true,
                    Some(r) => d.receivers.iter().any(|x| x == r || r.ends_with(&format!(".{x}"))),
                }
        })
    }

    /// The view serving these rules (one Flask endpoint), created on first use; returns the
    /// expression the URLconf of `app` uses for it.
    fn view_for(&mut self, app: &str, rs: &[&Route]) -> String {
        let first = rs[0];
        let flask_view = first.view.clone().unwrap_or_else(|| first.endpoint.clone().unwrap_or_default());
        let is_class = first.kind == "resource"
            || rs.iter().any(|r| {
                r.view_lines.is_some()
                    && r.render.is_none()
                    && r.view.as_deref().is_some_and(|v| {
                        v.rsplit('.').next().is_some_and(|n| n.starts_with(|c: char| c.is_ascii_uppercase()))
                    })
            });
        let key = flask_view.clone();
        let (home, name) = match self.view_home.get(&key) {
            Some(h) => h.clone(),
            None => {
                let base = identifier(flask_view.rsplit('.').next().unwrap_or("view"), "view");
                let taken: BTreeSet<String> = self.apps[app].views.iter().map(|v| v.name.clone()).collect();
                let mut name = base.clone();
                let mut i = 2;
                while taken.contains(&name) || name == "views" || name == "request" {
                    name = format!("{base}_{i}");
                    i += 1;
                }
                self.view_home.insert(key.clone(), (app.to_string(), name.clone()));
                (app.to_string(), name)
            }
        };
        // Parameters, methods, decorators: accumulated over every rule the view serves.
        let params =
            rs.iter().map(|r| r.arguments.iter().map(|a| a.name.clone()).collect::<Vec<_>>()).collect::<Vec<_>>();
        let methods = methods_of(rs);
        let automatic_options = automatic_options(rs);
        let mut decorators = Vec::new();
        let mut imports = BTreeSet::new();
        let mut todos = Vec::new();
        for d in &first.decorators {
            match self.decorator_row(d) {
                Some(row) if !row.django.is_empty() => {
                    decorators.push(row.django.clone());
                    imports.insert(row.import.clone());
                    if let Some(r) = &row.reason {
                        todos.push(format!("@{d}: {r}"));
                    }
                }
                Some(row) => todos.push(format!("@{d}: {}", row.reason.clone().unwrap_or_default())),
                None => todos.push(format!("@{d}: no Django counterpart known: port it by hand")),
            }
        }
        let view = self.apps.get_mut(&home).unwrap();
        match view.views.iter_mut().find(|v| v.name == name) {
            Some(v) => {
                v.automatic_options |= automatic_options;
                for m in methods {
                    if !v.methods.contains(&m) {
                        v.methods.push(m);
                    }
                }
                v.params = merge_params(&v.params, true, &params);
                for r in rs {
                    if let Some(ep) = &r.endpoint {
                        if !v.endpoints.contains(ep) {
                            v.endpoints.push(ep.clone());
                        }
                    }
                }
            }
            None => view.views.push(ViewDef {
                name: name.clone(),
                kind: if is_class { "class".into() } else { "function".into() },
                params: merge_params(&[], false, &params),
                methods,
                automatic_options,
                decorators,
                imports,
                source: flask_view,
                location: first.view_location.clone().unwrap_or_else(|| first.location.clone()),
                lines: first.view_lines,
                render: first.render.clone(),
                todos,
                dispatch: vec![],
                dispatch_names: vec![],
                dispatch_params: vec![],
                endpoints: rs.iter().filter_map(|r| r.endpoint.clone()).collect(),
            }),
        }
        let expr_name = if is_class { format!("{name}.as_view()") } else { name.clone() };
        if home == app {
            format!("views.{expr_name}")
        } else {
            self.apps.get_mut(app).unwrap().view_imports.insert(home.clone());
            format!("{home}_views.{expr_name}")
        }
    }

    /// Where Werkzeug's matcher tries the Flask `rule` ([`MatchKey`]), as `Rule._parse_rule`
    /// splits and weighs it.
    fn match_key(&self, rule: &str) -> MatchKey {
        let mut parts = Vec::new();
        let (mut fixed, mut weights): (Vec<(i64, i64)>, Vec<i64>) = (Vec::new(), Vec::new());
        let (mut text, mut variable, mut rest_of_rule) = (String::new(), false, false);
        let mut finish = |text: &mut String, variable: bool, fixed: &mut Vec<(i64, i64)>, weights: &mut Vec<i64>| {
            let text = std::mem::take(text);
            parts.push(if variable {
                MatchPart::Variable {
                    fixed_count: -(fixed.len() as i64),
                    fixed: std::mem::take(fixed),
                    variable_count: -(weights.len() as i64),
                    weights: std::mem::take(weights),
                    text,
                }
            } else {
                fixed.clear();
                MatchPart::Fixed(text)
            });
        };
        let mut s = rule;
        while let Some(c) = s.chars().next() {
            if c == '/' {
                s = &s[1..];
                if rest_of_rule {
                    text.push('/');
                } else {
                    finish(&mut text, variable, &mut fixed, &mut weights);
                    variable = false;
                }
            } else if c == '<' {
                let end = s.find('>').map_or(s.len(), |i| i + 1);
                let inner = s[1..end].trim_end_matches('>');
                let conv = inner.rsplit_once(':').map_or("default", |(c, _)| c.trim());
                let name = conv.split('(').next().unwrap_or(conv).trim();
                let (weight, isolating) = self.converter_traits(name);
                rest_of_rule |= !isolating;
                variable = true;
                weights.push(weight);
                text.push('<');
                text.push_str(conv);
                text.push('>');
                s = &s[end..];
            } else {
                let end = s.find(['/', '<']).unwrap_or(s.len());
                fixed.push((fixed.len() as i64, -(s[..end].chars().count() as i64)));
                text.push_str(&s[..end]);
                s = &s[end..];
            }
        }
        finish(&mut text, variable, &mut fixed, &mut weights);
        MatchKey(parts)
    }

    /// Werkzeug's `weight` and `part_isolating` for the converter named `name` in a rule: the
    /// app's class when it registers one under that name (what it or a project base sets, else
    /// what its Werkzeug base has), else the built-in converter's.
    fn converter_traits(&self, name: &str) -> (i64, bool) {
        if let Some(c) = self.inv.converters.iter().find(|c| c.name == name) {
            let row = self.werkzeug_base(c);
            let weight = c.weight.or(row.map(|r| r.weight)).unwrap_or(100);
            return (weight, c.part_isolating.or(row.map(|r| r.part_isolating)).unwrap_or(true));
        }
        match self.converters.iter().find(|r| r.werkzeug == name) {
            Some(row) => (row.weight, row.part_isolating),
            None => (100, true),
        }
    }

    /// The built-in converter an app's converter class derives from (`PathConverter`).
    fn werkzeug_base(&self, c: &Converter) -> Option<&ConverterRow> {
        c.bases.iter().find_map(|b| {
            let short = b.strip_prefix("werkzeug.routing.")?.rsplit('.').next()?;
            self.converters.iter().find(|r| r.class == short)
        })
    }

    /// A Flask rule as a Django route.
    fn convert_rule(&mut self, rule: &str) -> Result<Converted, String> {
        let mut out = String::new();
        let mut params = Vec::new();
        let mut converters = false;
        let mut rest = rule.strip_prefix('/').unwrap_or(rule);
        while let Some(open) = rest.find('<') {
            out.push_str(&rest[..open]);
            let close = rest[open..].find('>').ok_or_else(|| format!("malformed rule {rule}"))? + open;
            let inner = &rest[open + 1..close];
            let (conv, name) = match inner.rsplit_once(':') {
                Some((c, n)) => (c.trim(), n.trim()),
                None => ("default", inner.trim()),
            };
            let (conv_name, args) = match conv.find('(') {
                Some(p) => (conv[..p].trim(), conv[p + 1..].trim_end_matches(')').trim()),
                None => (conv, ""),
            };
            let django = self.converter(conv_name, args)?;
            if !django.starts_with("str") && !django.starts_with("int") || django.contains('_') {
                converters = true;
            }
            out.push_str(&format!("<{django}:{name}>"));
            params.push(name.to_string());
            rest = &rest[close + 1..];
        }
        out.push_str(rest);
        Ok(Converted { route: out, params, converters })
    }

    /// The Django converter name for a Werkzeug converter with arguments.
    fn converter(&mut self, conv: &str, args: &str) -> Result<String, String> {
        // The app's own class under a built-in name (`url_map.converters["uuid"] = ...`, as
        // udata does) replaces Werkzeug's.
        let row = self.converters.iter().find(|r| r.werkzeug == conv).cloned();
        let Some(row) = row.filter(|_| !self.inv.converters.iter().any(|c| c.name == conv)) else {
            return self.custom_converter(conv, args);
        };
        if args.is_empty() {
            if let Some(d) = &row.django {
                return Ok(d.clone());
            }
        }
        let key = (row.werkzeug.clone(), args.to_string());
        if let Some(c) = self.conv_classes.get(&key) {
            return Ok(c.name.clone());
        }
        let kw = parse_args(args);
        // The generated module's base class for this converter, and the class attributes
        // Werkzeug's arguments set on it.
        let base = match row.werkzeug.as_str() {
            "int" => "IntConverter",
            "float" => "FloatConverter",
            "path" => "PathConverter",
            "uuid" => "UUIDConverter",
            "any" => "AnyConverter",
            _ => "StringConverter",
        };
        let mut attrs: Vec<(String, Py)> = Vec::new();
        let mut name_parts: Vec<String> = Vec::new();
        match row.werkzeug.as_str() {
            "default" | "string" => {
                let get = |k: &str, pos: usize| kw.get(k).or_else(|| kw.get(&pos.to_string())).cloned();
                let length = get("length", 2);
                let min = get("minlength", 0);
                let max = get("maxlength", 1);
                let regex = match &length {
                    Some(n) => format!("[^/]{{{n}}}"),
                    None => format!(
                        "[^/]{{{},{}}}",
                        min.clone().unwrap_or_else(|| "1".into()),
                        max.clone().unwrap_or_default()
                    ),
                };
                attrs.push(("regex".into(), Py::str(regex)));
                for (k, v) in [("length", length), ("minlength", min), ("maxlength", max)] {
                    if let Some(v) = v {
                        name_parts.push(format!("{k}_{v}"));
                    }
                }
            }
            "int" | "float" => {
                if kw.get("signed").is_some_and(|v| v == "True") {
                    attrs.push(("regex".into(), Py::str(format!("-?{}", row.regex))));
                    name_parts.push("signed".into());
                }
                if let Some(n) = kw.get("fixed_digits").filter(|n| *n != "0") {
                    attrs.push(("fixed_digits".into(), Py::raw(n.clone())));
                    name_parts.push(format!("fixed_digits_{n}"));
                }
                for k in ["min", "max"] {
                    if let Some(m) = kw.get(k).filter(|m| *m != "None") {
                        attrs.push((k.into(), Py::raw(m.clone())));
                        name_parts.push(format!("{k}_{m}"));
                    }
                }
            }
            "any" => {
                let items: Vec<String> = args
                    .split(',')
                    .map(|s| s.trim().trim_matches(['"', '\'']).to_string())
                    .filter(|s| !s.is_empty() && !s.contains('='))
                    .collect();
                if items.is_empty() {
                    return Err(format!("any() converter without items: any({args})"));
                }
                attrs.push(("items".into(), Py::Tuple(items.iter().map(|i| Py::str(i.clone())).collect())));
                name_parts.extend(items.iter().cloned());
            }
            _ => {}
        }
        let suffix: String = name_parts.join("_");
        let werk = if row.werkzeug == "default" { "string" } else { row.werkzeug.as_str() };
        let mut name =
            if suffix.is_empty() { format!("flask_{werk}") } else { format!("flask_{werk}_{}", name_part(&suffix)) };
        let mut class = if attrs.is_empty() {
            base.to_string()
        } else {
            format!("{}{}Converter", camel_case(werk), camel_case(&name_part(&suffix)))
        };
        // Distinct arguments that clean to the same name keep distinct names.
        while self.conv_classes.values().any(|c| c.name == name) {
            name.push('_');
            class.push('_');
        }
        self.conv_classes
            .insert(key, ConverterClass { class, name: name.clone(), base: base.into(), attrs, todo: None });
        Ok(name)
    }

    /// A converter the app registers itself (`app.url_map.converters["x"] = Cls`).
    fn custom_converter(&mut self, conv: &str, args: &str) -> Result<String, String> {
        let registered: Option<&Converter> = self.inv.converters.iter().find(|c| c.name == conv);
        let Some(c) = registered else {
            return Err(format!("unknown URL converter `{conv}`"));
        };
        let key = (conv.to_string(), args.to_string());
        if let Some(x) = self.conv_classes.get(&key) {
            return Ok(x.name.clone());
        }
        let mut name = format!("flask_custom_{}", identifier(conv, "conv").to_lowercase());
        if !args.is_empty() {
            name = format!("{name}_{}", name_part(args));
        }
        while self.conv_classes.values().any(|x| x.name == name) {
            name.push('_');
        }
        let class_short = c.class.rsplit('.').next().unwrap_or(&c.class);
        let (regex, source) = match (&c.regex, self.werkzeug_base(c), literal_arg(args)) {
            (Some(r), _, _) => (r.clone(), String::new()),
            (None, Some(row), _) => (row.regex.clone(), format!("; its regex is that of Werkzeug's {}", row.class)),
            (None, None, Some(a)) => (a, "; the regex is the rule's argument, as in the classic RegexConverter".into()),
            (None, None, None) => {
                ("[^/]+".into(), "; its class body sets no regex: [^/]+ (Werkzeug's default) is assumed".into())
            }
        };
        let todo =
            Some(format!("port to_python/to_url from {} ({}:{}){source}", c.class, c.location.file, c.location.line));
        // Werkzeug's rule: a converter class whose own `regex` has no "/" (or that sets none, as
        // the classic RegexConverter) matches within one path segment, unless it says otherwise.
        let mut attrs = vec![("regex".into(), Py::str(regex))];
        if self.converter_traits(conv).1 {
            attrs.push(("part_isolating".into(), Py::raw("True")));
        }
        self.conv_classes.insert(
            key,
            ConverterClass {
                class: {
                    let mut cls = identifier(class_short, "Converter");
                    if BASE_CLASSES.contains(&cls.as_str()) {
                        cls = format!("App{cls}");
                    }
                    while self.conv_classes.values().any(|x| x.class == cls) {
                        cls.push('_');
                    }
                    cls
                },
                name: name.clone(),
                base: "StringConverter".into(),
                attrs,
                todo,
            },
        );
        let loc = c.location.clone();
        self.item(
            "converter",
            conv.to_string(),
            &loc,
            "manual",
            format!("core.converters.{class_short}"),
            Some("a custom Werkzeug converter: its regex is kept, its conversions must be ported".into()),
        );
        Ok(name)
    }

    fn error_handlers(&mut self) {
        let primary = self.inv.apps.first().map(|a| a.id.clone());
        for h in &self.inv.error_handlers {
            if h.app != primary {
                continue;
            }
            if let Some(api) = &h.api {
                self.item("error_handler", h.error.clone(), &h.location, "manual", String::new(), Some(format!("a flask-restx handler of the Api made at {api}: it handles what the API's resources raise; handle it in the API views or in a middleware (process_exception) limited to the API's URLs")));
                continue;
            }
            let code: Option<u16> = h.error.parse().ok();
            match (h.scope.as_str(), code) {
                ("app", Some(c @ (400 | 403 | 404 | 500))) => {
                    let name = format!("handler{c}");
                    let params = if c == 500 { vec![] } else { vec![("exception".to_string(), false)] };
                    let core = self.apps.get_mut(CORE_APP).unwrap();
                    if core.views.iter().any(|v| v.name == name) {
                        continue;
                    }
                    core.views.push(ViewDef {
                        name: name.clone(),
                        kind: "handler".into(),
                        params,
                        methods: vec![],
                        source: h.function.clone(),
                        location: h.location.clone(),
                        lines: h.function_lines,
                        todos: vec![],
                        ..Default::default()
                    });
                    self.out.handlers.push((c, format!("{CORE_APP}.views.{name}")));
                    self.item("error_handler", h.error.clone(), &h.location, "review", format!("handler{c}"), Some("Django calls handler404/handler500 only when DEBUG is off".into()));
                }
                ("app", _) => self.item("error_handler", h.error.clone(), &h.location, "manual", String::new(), Some(format!("Django has handlers for 400, 403, 404 and 500 only: handle `{}` in middleware (process_exception) or in the views", h.error))),
                (bp, _) => self.item("error_handler", h.error.clone(), &h.location, "manual", String::new(), Some(format!("a handler scoped to blueprint `{bp}`: Django has no per-app error handlers; handle it in the app's views or a middleware that checks request.resolver_match.app_name"))),
            }
        }
    }
}

fn apps_parent_map(apps: &[AppUrls]) -> BTreeMap<String, Option<String>> {
    apps.iter().map(|a| (a.label.clone(), a.parent.clone())).collect()
}

fn depth(label: &str, parents: &BTreeMap<String, Option<String>>) -> usize {
    let mut d = 0;
    let mut cur = parents.get(label).cloned().flatten();
    while let Some(p) = cur {
        d += 1;
        if d > 64 {
            break;
        }
        cur = parents.get(&p).cloned().flatten();
    }
    d
}

fn methods_of(rs: &[&Route]) -> Vec<String> {
    let mut m: Vec<String> = Vec::new();
    for r in rs {
        for x in &r.methods {
            if (x != "OPTIONS" || r.view_options) && !m.contains(x) {
                m.push(x.clone());
            }
        }
    }
    m.sort();
    m
}

/// Whether Flask answers OPTIONS itself for one of the rules: it is among their methods and not
/// the view's to answer.
fn automatic_options(rs: &[&Route]) -> bool {
    rs.iter().any(|r| !r.view_options && r.methods.iter().any(|m| m == "OPTIONS"))
}

/// Parameters of a view serving several rules: those every rule has are required, the others
/// default to None.
/// The view's parameters over the rules it serves: a parameter some rule lacks is optional.
/// `existing` are those of the rules seen before (`earlier`: there were some, even with no
/// parameter, as `/` before `/<bfile>/`).
fn merge_params(existing: &[(String, bool)], earlier: bool, rules: &[Vec<String>]) -> Vec<(String, bool)> {
    let mut out: Vec<(String, bool)> = existing.to_vec();
    for rule in rules {
        for p in rule {
            if !out.iter().any(|(x, _)| x == p) {
                let optional = earlier || rules.iter().any(|r| !r.contains(p));
                out.push((p.clone(), optional));
            }
        }
    }
    for (p, optional) in out.iter_mut() {
        if rules.iter().any(|r| !r.contains(p)) {
            *optional = true;
        }
    }
    // Required parameters first, in the order they appear.
    out.sort_by_key(|(_, o)| *o);
    out
}

fn union_params<'a>(lists: impl Iterator<Item = &'a Vec<String>>) -> Vec<(String, bool)> {
    let lists: Vec<Vec<String>> = lists.cloned().collect();
    merge_params(&[], false, &lists)
}

/// Longest common prefix of routes, ending at a `/` and before any converter.
fn common_prefix(routes: &[String]) -> String {
    let Some(first) = routes.first() else { return String::new() };
    let mut len = first.len();
    for r in routes.iter().skip(1) {
        len = len.min(first.bytes().zip(r.bytes()).take_while(|(a, b)| a == b).count());
    }
    let mut p = &first[..len];
    if let Some(i) = p.find('<') {
        p = &p[..i];
    }
    match p.rfind('/') {
        Some(i) => p[..=i].to_string(),
        None => String::new(),
    }
}

/// Whether a Flask rule serves `/admin` or URLs under it, where Django's admin site would be
/// mounted first: `/admin/...` itself, or a first segment that is a variable taking any text
/// (sqlite-web's `/<table>/`, datagrepper's `/<page>/`, a catch-all `/<path:path>`).
fn takes_admin(rule: &str) -> bool {
    let first = rule.trim_start_matches('/').split('/').next().unwrap_or_default();
    if first == "admin" {
        return true;
    }
    let Some(inner) = first.strip_prefix('<').and_then(|f| f.strip_suffix('>')) else {
        return false;
    };
    if inner.contains(['<', '>']) {
        return false;
    }
    let conv = inner.rsplit_once(':').map_or("default", |(c, _)| c.trim());
    let name = conv.split('(').next().unwrap_or(conv).trim();
    match name {
        "int" | "float" | "uuid" => false,
        "any" => conv.contains("admin"),
        _ => true,
    }
}

/// A route with its variables' names left out: `a/<int:x>/b` → `a/<int>/b`.
fn route_shape(route: &str) -> String {
    let mut out = String::new();
    let mut rest = route;
    while let Some(open) = rest.find('<') {
        out.push_str(&rest[..open]);
        let Some(close) = rest[open..].find('>') else { break };
        let inner = &rest[open + 1..open + close];
        out.push('<');
        out.push_str(inner.split(':').next().unwrap_or(inner));
        out.push('>');
        rest = &rest[open + close + 1..];
    }
    out.push_str(rest);
    out
}

fn parse_args(args: &str) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    for (i, part) in args.split(',').map(str::trim).filter(|s| !s.is_empty()).enumerate() {
        match part.split_once('=') {
            Some((k, v)) => {
                out.insert(k.trim().to_string(), v.trim().to_string());
            }
            None => {
                out.insert(i.to_string(), part.to_string());
            }
        }
    }
    out
}

const BASE_CLASSES: [&str; 6] =
    ["IntConverter", "FloatConverter", "StringConverter", "PathConverter", "UUIDConverter", "AnyConverter"];

/// A converter's single string-literal argument (`regex("[a-z]+")`).
fn literal_arg(args: &str) -> Option<String> {
    let a = args.trim();
    // Werkzeug reads converter arguments as Python literals: r"..." keeps backslashes.
    let (raw, a) = match a.strip_prefix(['r', 'R']) {
        Some(rest) => (true, rest),
        None => (false, a),
    };
    let q = a.chars().next().filter(|c| *c == '"' || *c == '\'')?;
    let inner = a.strip_prefix(q)?.strip_suffix(q)?;
    if inner.contains(q) {
        return None;
    }
    Some(if raw { inner.to_string() } else { inner.replace("\\\\", "\\") })
}

/// Of several patterns with one name, Django's `reverse()` takes the last that fits while
/// Werkzeug builds with the first in its build order: the patterns of one name swap places so
/// that Werkzeug's choice comes last, every other entry staying where it is — unless a pattern
/// would pass another that may match the same URLs (see the fallback below).
fn order_for_reverse<T>(items: &mut [T], pattern: fn(&mut T) -> Option<&mut UrlPattern>) {
    let mut names: BTreeMap<String, Vec<usize>> = BTreeMap::new();
    for (i, item) in items.iter_mut().enumerate() {
        if let Some(UrlPattern { name: Some(n), .. }) = pattern(item) {
            names.entry(n.clone()).or_default().push(i);
        }
    }
    for idx in names.values().filter(|v| v.len() > 1) {
        let mut group: Vec<UrlPattern> =
            idx.iter().filter_map(|&i| pattern(&mut items[i]).map(|p| p.clone())).collect();
        let before: Vec<String> = group.iter().map(|p| p.route.clone()).collect();
        group.sort_by(|x, y| (y.build_key, &y.route).cmp(&(x.build_key, &x.route)));
        // A pattern moved past another that may match the same URLs would change which view a
        // URL resolves to, which matters more than which pattern builds it: the group stays.
        let crosses = idx.iter().zip(&group).any(|(&slot, p)| {
            let from = idx[before.iter().position(|r| *r == p.route).unwrap_or(0)];
            let (lo, hi) = (from.min(slot), from.max(slot));
            (lo + 1..hi)
                .any(|k| !idx.contains(&k) && pattern(&mut items[k]).is_some_and(|q| may_overlap(&q.route, &p.route)))
        });
        if crosses {
            // Then Werkzeug's choice alone goes after the last pattern of its name, when it
            // passes none that may match its URLs.
            let Some(chosen) = group.last() else { continue };
            let from = idx[before.iter().position(|r| *r == chosen.route).unwrap_or(0)];
            let to = idx[idx.len() - 1];
            let blocked =
                (from + 1..=to).any(|k| pattern(&mut items[k]).is_some_and(|q| may_overlap(&q.route, &chosen.route)));
            if from < to && !blocked {
                items[from..=to].rotate_left(1);
            }
            continue;
        }
        for (&slot, p) in idx.iter().zip(group) {
            if let Some(dst) = pattern(&mut items[slot]) {
                *dst = p;
            }
        }
    }
}

/// Whether two routes may match one URL: as many segments, each pair equal or one a variable
/// (a `path` variable spans segments: always).
fn may_overlap(a: &str, b: &str) -> bool {
    let spans = |r: &str| r.contains("<path:") || r.contains("<flask_path");
    if spans(a) || spans(b) {
        return true;
    }
    let (sa, sb): (Vec<&str>, Vec<&str>) = (a.split('/').collect(), b.split('/').collect());
    sa.len() == sb.len() && sa.iter().zip(&sb).all(|(x, y)| x == y || x.contains('<') || y.contains('<'))
}

/// Python source of a `path(...)` or `include` entry.
pub fn pattern_py(p: &UrlPattern) -> Py {
    if let Some(inc) = &p.include {
        return Py::call(
            "path",
            vec![Py::str(p.route.clone()), Py::call("include", vec![Py::str(inc.clone())], vec![])],
            vec![],
        );
    }
    let mut args = vec![Py::str(p.route.clone()), Py::raw(p.view.clone())];
    if !p.kwargs.is_empty() {
        args.push(Py::Dict(p.kwargs.iter().map(|(k, v)| (Py::str(k.clone()), v.clone())).collect()));
    }
    let kw = p.name.as_ref().map(|n| vec![("name", Py::str(n.clone()))]).unwrap_or_default();
    Py::call("path", args, kw)
}

/// `quote` re-exported for templates that build Python by hand.
pub fn py_str(s: &str) -> String {
    quote(s)
}

/// The URL name of an endpoint in the URLconf of namespace `ns` (`api:v1`): what follows the
/// blueprint's dotted name (`api.v1.users` → `users`). An endpoint of the app itself keeps its
/// dots (`app.add_url_rule(..., endpoint="apiv2.versions")`): it has no namespace, and the
/// generated `url_for` knows it by that name. A `:` in the name (Flask-Classful's
/// `HostsView:get`) is a `.`: in a URL name `:` separates namespaces.
fn url_name(ns: &str, ep: &str) -> String {
    let short = if ns.is_empty() {
        ep
    } else {
        let prefix = ns.replace(':', ".");
        ep.strip_prefix(prefix.as_str())
            .and_then(|r| r.strip_prefix('.'))
            .unwrap_or_else(|| ep.rsplit('.').next().unwrap_or(ep))
    };
    short.replace(':', ".")
}

/// The name Django's `reverse()` takes for a Flask endpoint of a blueprint or of the app without
/// dots: `bp.view` → `bp:view`, `HostsView:get` → `HostsView.get` (as the generated `url_for`
/// computes it).
pub fn reverse_name(endpoint: &str) -> String {
    match endpoint.rsplit_once('.') {
        Some((head, last)) => format!("{}:{}", head.replace('.', ":"), last.replace(':', ".")),
        None => endpoint.replace(':', "."),
    }
}
