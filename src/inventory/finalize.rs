//! From the interpreter's objects to the sorted inventory model: url_map entries with Flask's
//! endpoints and methods, blueprints, hooks, handlers, commands, extensions and config.

use std::collections::{BTreeMap, HashMap};

use crate::diagnostics::{Code, Diagnostic};
use crate::inventory::interp::Interp;
use crate::inventory::model::*;
use crate::inventory::rules::{automatic_options, effective_methods, parse_rule, BUILTIN_CONVERTERS};
use crate::inventory::values::{Obj, ObjId, RuleRecord, SurfaceRecord, Value};
use crate::inventory::LocatedApp;

fn status_of(dynamic: &Option<String>) -> Status {
    if dynamic.is_some() {
        Status::Dynamic
    } else {
        Status::Resolved
    }
}

pub fn finalize(interp: &mut Interp, located: &[LocatedApp]) -> Inventory {
    let mut inv = Inventory { schema_version: SCHEMA_VERSION, ..Default::default() };
    let mut app_ids: HashMap<ObjId, String> = HashMap::new();
    for l in located {
        app_ids.insert(l.obj, l.id.clone());
    }
    let tables = interp.tables;
    let mut diags: Vec<Diagnostic> = Vec::new();
    let bp_decorators = std::mem::take(&mut interp.blueprint_decorators);
    // A registered blueprint's rule records were copied onto its apps: only those of blueprints
    // nothing registers are read below. On a large project they are many.
    for o in interp.objs.iter_mut() {
        if let Obj::Blueprint(b) = o {
            if b.registered {
                b.rules = Vec::new();
            }
        }
    }

    for l in located {
        // Taken out, to be freed once the app's routes are built.
        let mut rules = match &mut interp.objs[l.obj] {
            Obj::App(a) => std::mem::take(&mut a.rules),
            _ => continue,
        };
        let Obj::App(app) = &interp.objs[l.obj] else {
            continue;
        };
        let app_id = l.id.clone();
        inv.apps.push(App {
            id: app_id.clone(),
            import_name: app.import_name.clone(),
            location: app.loc.clone(),
            factory: app.factory.clone(),
            template_folder: app.template_folder.clone(),
            static_folder: app.static_folder.clone(),
            static_url_path: app.static_url_path.clone(),
            jinja_options: app.jinja_options.clone(),
            jinja_extensions: app.jinja_extensions.clone(),
            blueprints: app.registrations.iter().map(|r| r.name.clone()).collect(),
            discovered_by: l.discovered_by.clone(),
            status: status_of(&app.dynamic),
        });
        // Converters registered on this app.
        let mut converter_names: Vec<String> = BUILTIN_CONVERTERS.iter().map(|s| s.to_string()).collect();
        for (name, class, loc) in &app.converters {
            converter_names.push(name.clone());
            let mut conv = Converter {
                app: Some(app_id.clone()),
                name: name.clone(),
                class: "<unknown>".into(),
                regex: None,
                weight: None,
                part_isolating: None,
                bases: vec![],
                location: loc.clone(),
            };
            match class {
                Value::Class(c) => {
                    conv.class = c.path();
                    conv.regex =
                        crate::inventory::interp::class_attr(c, "regex").and_then(|r| r.as_str().map(str::to_string));
                    conv.weight = match crate::inventory::interp::class_attr(c, "weight") {
                        Some(Value::Int(w)) => Some(w),
                        _ => None,
                    };
                    conv.part_isolating = part_isolating(c);
                    crate::inventory::interp::external_bases(c, &mut conv.bases);
                }
                Value::External(p) => {
                    conv.class = p.to_string();
                    conv.bases.push(p.to_string());
                }
                _ => {}
            }
            inv.converters.push(conv);
        }
        let app_auto_options = app.provide_automatic_options.unwrap_or(true);
        let dropped = certain_in_every_branch(&mut rules, &interp.complete_ifs);
        let mut dropped = dropped.into_iter();
        rules.retain(|_| !dropped.next().unwrap_or(false));
        let recs = rules.into_iter().map(|r| *r);
        let routes = build_routes(recs, Some(&app_id), &converter_names, app_auto_options, &bp_decorators, &mut diags);
        if inv.routes.is_empty() {
            inv.routes = routes;
        } else {
            inv.routes.extend(routes);
        }
        for r in &app.registrations {
            let Obj::Blueprint(bp) = &interp.objs[r.blueprint] else {
                continue;
            };
            inv.blueprints.push(Blueprint {
                name: r.name.clone(),
                declared_name: bp.name.as_str().unwrap_or("?").to_string(),
                app: Some(app_id.clone()),
                import_name: bp.variable.clone().unwrap_or_else(|| format!("{}:{}", bp.module, bp.loc.line)),
                location: bp.loc.clone(),
                url_prefix: r.url_prefix.clone(),
                subdomain: r.subdomain.clone(),
                parent: r.parent.clone(),
                template_folder: bp.template_folder.clone(),
                static_folder: bp.static_folder.clone(),
                registered_at: Some(r.loc.clone()),
                status: status_of(&r.dynamic),
            });
        }
        push_surface(&mut inv, &app.surface, Some(&app_id), &mut diags);
        for ev in interp.config_log.iter().flatten().filter(|e| e.app == l.obj) {
            inv.config.push(ConfigEntry {
                app: Some(app_id.clone()),
                key: ev.key.clone(),
                value: if ev.dynamic.is_some() { None } else { ev.value.to_json() },
                expression: ev.expression.clone(),
                source: ev.source.to_string(),
                location: ev.loc.clone(),
                status: status_of(&ev.dynamic),
            });
        }
    }

    // Blueprints nothing registers: listed with no app, so nothing is dropped.
    let mut unregistered = Vec::new();
    for (id, o) in interp.objs.iter().enumerate() {
        if let Obj::Blueprint(bp) = o {
            if bp.registered {
                continue;
            }
            let name = bp.name.as_str().unwrap_or("?").to_string();
            // A blueprint only nested in another unregistered one is reported with its parent.
            let nested = interp
                .objs
                .iter()
                .any(|p| matches!(p, Obj::Blueprint(pb) if pb.children.iter().any(|(c, _)| *c == id)));
            if !nested {
                // With a registration of a blueprint not known, this one may be the one it registers.
                let (message, help) = match &interp.unresolved_registration {
                    None => (
                        format!("blueprint '{name}' is never registered on an application"),
                        "its routes are listed with no app".to_string(),
                    ),
                    Some(at) => (
                        format!(
                            "blueprint '{name}' is not registered by any registration the inventory could follow"
                        ),
                        format!(
                            "{}:{} registers a blueprint that could not be resolved (FD102), maybe this one; its routes are listed with no app",
                            at.file, at.line
                        ),
                    ),
                };
                diags.push(
                    Diagnostic::new(Code::UnregisteredBlueprint, bp.loc.file.clone(), bp.loc.line, message)
                        .with_help(&help),
                );
            }
            unregistered.push((id, name));
        }
    }
    for (id, name) in unregistered {
        // Taken out: the rule records are not read again once the routes are built.
        let mut recs = match &mut interp.objs[id] {
            Obj::Blueprint(bp) => std::mem::take(&mut bp.rules),
            _ => continue,
        };
        let Obj::Blueprint(bp) = &interp.objs[id] else {
            continue;
        };
        for r in &mut recs {
            let ep = r.endpoint.clone().or_else(|| r.view.as_ref().and_then(|v| v.name.clone()));
            r.endpoint = ep.map(|e| format!("{name}.{e}"));
            r.blueprint = Some(name.clone());
            r.from_blueprint = Some(id);
            // As Flask's `BlueprintSetupState.add_url_rule` joins them: an empty rule is the
            // prefix alone (blazar's `rest.get("")` on `/v1/os-hosts`).
            if let (Some(rule), Some(Value::Str(p))) = (&r.rule, &bp.url_prefix) {
                r.rule = Some(if rule.is_empty() {
                    p.to_string()
                } else {
                    format!("{}/{}", p.trim_end_matches('/'), rule.trim_start_matches('/'))
                });
            }
        }
        let names: Vec<String> = BUILTIN_CONVERTERS.iter().map(|s| s.to_string()).collect();
        inv.routes.extend(build_routes(recs.into_iter(), None, &names, true, &bp_decorators, &mut Vec::new()));
        inv.blueprints.push(Blueprint {
            name: name.clone(),
            declared_name: name.clone(),
            app: None,
            import_name: bp.variable.clone().unwrap_or_else(|| format!("{}:{}", bp.module, bp.loc.line)),
            location: bp.loc.clone(),
            url_prefix: bp.url_prefix.as_ref().and_then(|v| v.as_str()).map(str::to_string),
            subdomain: None,
            parent: None,
            template_folder: bp.template_folder.clone(),
            static_folder: bp.static_folder.clone(),
            registered_at: None,
            status: Status::Resolved,
        });
        let surface: Vec<SurfaceRecord> = bp
            .surface
            .iter()
            .cloned()
            .map(|mut s| {
                s.scope = name.clone();
                s
            })
            .collect();
        push_surface(&mut inv, &surface, None, &mut diags);
    }

    // Extensions.
    for o in interp.objs.iter() {
        if let Obj::Extension(e) = o {
            let row = tables.lookup(&e.class);
            // A class of a `flask_*` package that no row knows is an extension only when it is
            // attached to an app (`X(app)`, `x.init_app(app)`); `fields.String(...)` is not.
            if row.is_none() && e.apps.is_empty() {
                continue;
            }
            let apps: Vec<Option<String>> = {
                let v: Vec<Option<String>> = e.apps.iter().filter_map(|a| app_ids.get(a).cloned()).map(Some).collect();
                if v.is_empty() {
                    vec![None]
                } else {
                    v
                }
            };
            for app in apps {
                inv.extensions.push(Extension {
                    app,
                    class: e.class.clone(),
                    variable: e.variable.clone(),
                    location: e.loc.clone(),
                    django: row.map(|r| r.django.clone()),
                    settings: e.attrs.iter().cloned().collect(),
                    note: row.map(|r| r.note.clone()),
                    wsgi_middleware: e.wsgi_middleware,
                });
            }
            if row.is_none() && e.wsgi_middleware {
                diags.push(
                    Diagnostic::new(
                        Code::UnmappedExtension,
                        e.loc.file.clone(),
                        e.loc.line,
                        format!("the WSGI middleware `{}` wraps the app: no Django counterpart is known", e.class),
                    )
                    .with_help("port what it does to the request and response as a Django middleware, or wrap Django's WSGI application with it in wsgi.py; a library's may get a row in mappings/extensions.toml"),
                );
            } else if row.is_none() {
                diags.push(
                    Diagnostic::new(
                        Code::UnmappedExtension,
                        e.loc.file.clone(),
                        e.loc.line,
                        format!("no known Django counterpart for `{}`", e.class),
                    )
                    .with_help("add a row to mappings/extensions.toml"),
                );
            }
        }
    }

    inv.routes.sort_by(|a, b| {
        (&a.app, &a.rule, &a.endpoint, &a.location, &a.methods).cmp(&(
            &b.app,
            &b.rule,
            &b.endpoint,
            &b.location,
            &b.methods,
        ))
    });
    inv.blueprints.sort_by(|a, b| (&a.app, &a.name, &a.location).cmp(&(&b.app, &b.name, &b.location)));
    inv.hooks.sort_by(|a, b| {
        (&a.app, &a.scope, &a.kind, &a.location, &a.function).cmp(&(
            &b.app,
            &b.scope,
            &b.kind,
            &b.location,
            &b.function,
        ))
    });
    inv.error_handlers
        .sort_by(|a, b| (&a.app, &a.scope, &a.error, &a.location).cmp(&(&b.app, &b.scope, &b.error, &b.location)));
    // One function registered for one error several times (`@bp.app_errorhandler(E)` stacked for
    // every blueprint) is one handler: Flask keeps one per scope and error.
    inv.error_handlers
        .dedup_by(|a, b| a.app == b.app && a.scope == b.scope && a.error == b.error && a.function == b.function);
    inv.template_functions
        .sort_by(|a, b| (&a.app, &a.kind, &a.name, &a.location).cmp(&(&b.app, &b.kind, &b.name, &b.location)));
    inv.cli_commands.sort_by(|a, b| (&a.app, &a.name, &a.location).cmp(&(&b.app, &b.name, &b.location)));
    inv.extensions.sort_by(|a, b| (&a.app, &a.class, &a.location).cmp(&(&b.app, &b.class, &b.location)));
    inv.extensions.dedup_by(|a, b| a.app == b.app && a.class == b.class && a.location == b.location);
    inv.converters.sort_by(|a, b| (&a.app, &a.name, &a.location).cmp(&(&b.app, &b.name, &b.location)));
    // Config keeps the order of assignment within an app: later settings win, as in Flask.
    inv.config.sort_by(|a, b| a.app.cmp(&b.app));
    inv.diagnostics = diags;
    inv
}

/// Werkzeug's `part_isolating` for a project converter class, when a project class decides it:
/// the first class (in lookup order) that sets `part_isolating`, or that sets its own `regex`
/// (then: whether the regex has no `/`, as `BaseConverter.__init_subclass__` derives it).
fn part_isolating(c: &std::rc::Rc<crate::inventory::values::Class>) -> Option<bool> {
    {
        let attrs = c.attrs();
        if let Some(v) = attrs.get("part_isolating") {
            return match v {
                Value::Bool(b) => Some(*b),
                _ => None,
            };
        }
        if let Some(r) = attrs.get("regex") {
            return r.as_str().map(|r| !r.contains('/'));
        }
    }
    c.bases.iter().find_map(|b| match b {
        Value::Class(bc) => part_isolating(bc),
        _ => None,
    })
}

fn push_surface(inv: &mut Inventory, surface: &[SurfaceRecord], app: Option<&String>, diags: &mut Vec<Diagnostic>) {
    for s in surface {
        let status = status_of(&s.dynamic);
        // A hook or handler the app itself gets only under a run-time condition says so, as a
        // route does (those of a blueprint follow its registration, which has its own).
        if let (Some(reason), Some(_), "app") = (&s.dynamic, app, s.scope.as_str()) {
            let what = match s.method.as_str() {
                "errorhandler" | "app_errorhandler" | "restx_errorhandler" => {
                    format!("error handler `{}` for {}", s.function, s.arg.as_deref().unwrap_or("?"))
                }
                "cli" => continue,
                m if m.contains("template_") || m.contains("context_processor") => format!("`{m}` `{}`", s.function),
                m => format!("request hook `{m}` `{}`", s.function),
            };
            diags.push(registration_diagnostic(&what, reason, &s.loc));
        }
        let app = app.cloned();
        let m = s.method.as_str();
        match m {
            "errorhandler" | "app_errorhandler" | "restx_errorhandler" => inv.error_handlers.push(ErrorHandler {
                app,
                error: s.arg.clone().unwrap_or_else(|| "?".into()),
                scope: if m == "app_errorhandler" { "app".into() } else { s.scope.clone() },
                function: s.function.clone(),
                location: s.loc.clone(),
                status,
                function_lines: s.span.map(|(a, b)| [a, b]),
                api: s.api.clone(),
            }),
            "cli" => inv.cli_commands.push(CliCommand {
                app,
                name: s.arg.clone(),
                scope: s.scope.clone(),
                function: s.function.clone(),
                location: s.loc.clone(),
            }),
            m if m.contains("template_") || m.contains("context_processor") => {
                let kind = if m.contains("context_processor") {
                    if m.starts_with("shell") {
                        "shell_context_processor"
                    } else {
                        "context_processor"
                    }
                } else if m.ends_with("filter") {
                    "filter"
                } else if m.ends_with("global") {
                    "global"
                } else {
                    "test"
                };
                let scope = if m.starts_with("app_") { "app".to_string() } else { s.scope.clone() };
                inv.template_functions.push(TemplateFunction {
                    app,
                    kind: kind.into(),
                    name: if kind == "context_processor" || kind == "shell_context_processor" {
                        None
                    } else {
                        s.arg.clone()
                    },
                    scope,
                    function: s.function.clone(),
                    location: s.loc.clone(),
                })
            }
            "shell_context_processor" => {}
            _ => inv.hooks.push(Hook {
                app,
                kind: m.to_string(),
                scope: s.scope.clone(),
                function: s.function.clone(),
                location: s.loc.clone(),
                status,
            }),
        }
    }
}

/// A rule as Werkzeug tells two apart: rule, methods, subdomain, host.
type RuleKey = (String, Vec<String>, Option<String>, Option<String>);

/// A rule registered alike in every branch of an `if` that covers every case (udata's
/// `if state.passwordless: bp.route(url, endpoint="login")(send_login) else:
/// bp.route(url, endpoint="login")(login)`) is certain: one record stays, without the condition,
/// with the first branch's view. Returns which records go (the others of each such rule).
fn certain_in_every_branch(rules: &mut [Box<RuleRecord>], complete_ifs: &[Vec<String>]) -> Vec<bool> {
    let mut drop = vec![false; rules.len()];
    if complete_ifs.is_empty() {
        return drop;
    }
    let key = |r: &RuleRecord| (r.rule.clone(), r.endpoint.clone(), r.methods.clone(), r.blueprint.clone());
    for branches in complete_ifs {
        let in_branch: Vec<usize> = (0..rules.len())
            .filter(|&i| {
                !drop[i] && rules[i].rule.is_some() && rules[i].dynamic.as_ref().is_some_and(|d| branches.contains(d))
            })
            .collect();
        for (n, &i) in in_branch.iter().enumerate() {
            if drop[i] || rules[i].dynamic.is_none() {
                continue;
            }
            let same: Vec<usize> =
                in_branch[n..].iter().copied().filter(|&j| !drop[j] && key(&rules[j]) == key(&rules[i])).collect();
            let covered =
                branches.iter().all(|b| same.iter().any(|&j| rules[j].dynamic.as_deref() == Some(b.as_str())));
            if covered {
                rules[i].dynamic = None;
                for &j in &same[1..] {
                    drop[j] = true;
                }
            }
        }
    }
    drop
}

/// The routes of `recs`, which are consumed: their strings move into the routes.
fn build_routes(
    recs: impl ExactSizeIterator<Item = RuleRecord>,
    app: Option<&String>,
    converters: &[String],
    auto_options: bool,
    bp_decorators: &[(ObjId, String)],
    diags: &mut Vec<Diagnostic>,
) -> Vec<Route> {
    let mut out: Vec<Route> = Vec::with_capacity(recs.len());
    let mut endpoints: BTreeMap<String, (String, Location)> = BTreeMap::new();
    let mut seen_rules: BTreeMap<RuleKey, Location> = BTreeMap::new();
    let mut conditional_bps: BTreeMap<(String, String), Vec<(String, Location)>> = BTreeMap::new();
    for mut r in recs {
        // Blueprint records arrive with their endpoint already prefixed.
        let endpoint =
            if r.blueprint.is_some() && !r.endpoint_unknown { r.endpoint.clone() } else { r.endpoint_or_view_name() };
        let (methods, view_options) = if r.methods_unknown {
            (vec![], false)
        } else {
            let view_methods = r.view.as_ref().and_then(|v| v.methods.as_deref());
            let pao = r.provide_automatic_options.or(r.view.as_ref().and_then(|v| v.provide_automatic_options));
            let methods = effective_methods(r.methods.as_deref(), view_methods, pao, auto_options);
            let auto = automatic_options(r.methods.as_deref(), view_methods, pao, auto_options);
            let view_options = !auto && methods.iter().any(|m| m == "OPTIONS");
            (methods, view_options)
        };
        let mut dynamic = r.dynamic.clone();
        let mut arguments = Vec::new();
        if let Some(rule) = &r.rule {
            if !rule.starts_with('/') && dynamic.is_none() {
                diags.push(Diagnostic::new(
                    Code::InvalidRule,
                    r.loc.file.clone(),
                    r.loc.line,
                    format!("the rule {rule:?} does not start with a slash; Werkzeug refuses it"),
                ));
                dynamic = Some("invalid rule".into());
            }
            match parse_rule(rule) {
                Ok(args) => {
                    for a in &args {
                        if !converters.contains(&a.converter) {
                            diags.push(
                                Diagnostic::new(
                                    Code::InvalidRule,
                                    r.loc.file.clone(),
                                    r.loc.line,
                                    format!("the converter '{}' in {rule:?} is not registered", a.converter),
                                )
                                .with_help("Werkzeug raises LookupError; register it on app.url_map.converters"),
                            );
                            dynamic.get_or_insert_with(|| "invalid rule".into());
                        }
                    }
                    arguments = args;
                }
                Err(msg) => {
                    diags.push(Diagnostic::new(Code::InvalidRule, r.loc.file.clone(), r.loc.line, msg));
                    dynamic.get_or_insert_with(|| "invalid rule".into());
                }
            }
        }
        let mut status = status_of(&dynamic);
        if let (Some(ep), Some(view)) = (&endpoint, &r.view) {
            match endpoints.get(ep) {
                Some((key, first)) if key != &view.key && dynamic.is_none() => {
                    diags.push(
                        Diagnostic::new(
                            Code::DuplicateEndpoint,
                            r.loc.file.clone(),
                            r.loc.line,
                            format!("endpoint '{ep}' is already used by another view (at {}:{})", first.file, first.line),
                        )
                        .with_help("Flask raises AssertionError: View function mapping is overwriting an existing endpoint function"),
                    );
                }
                None => {
                    endpoints.insert(ep.clone(), (view.key.clone(), r.loc.clone()));
                }
                _ => {}
            }
        }
        if let (Some(rule), Status::Resolved) = (&r.rule, status) {
            let key = (rule.clone(), methods.clone(), r.subdomain.clone(), r.host.clone());
            if let Some(first) = seen_rules.get(&key) {
                diags.push(
                    Diagnostic::new(
                        Code::DuplicateRule,
                        r.loc.file.clone(),
                        r.loc.line,
                        format!(
                            "{rule} with methods {} is already registered at {}:{}; this one is unreachable",
                            methods.join(","),
                            first.file,
                            first.line
                        ),
                    )
                    .with_help("remove this registration or change its rule"),
                );
                status = Status::Unreachable;
            } else {
                seen_rules.insert(key, r.loc.clone());
            }
        }
        // Only registrations that depend on run time get FD102/FD103; an invalid rule has FD107.
        // The routes of a blueprint registered under a condition get one FD103 together.
        if let (Some(reason), true) = (&r.dynamic, r.kind != "static") {
            let rule = r.rule.clone().unwrap_or_else(|| format!("`{}`", r.rule_text));
            match &r.blueprint {
                Some(bp) if is_conditional(reason) => {
                    conditional_bps.entry((bp.clone(), reason.clone())).or_default().push((rule, r.loc.clone()))
                }
                _ => diags.push(registration_diagnostic(&format!("route {rule}"), reason, &r.loc)),
            }
        }
        let view_info = r.view.take().map(take_view);
        let (view, view_location, decorators, view_lines, render) = match view_info {
            Some(v) => {
                (v.path, v.location.filter(|l| l != &r.loc), v.decorators, v.span.map(|(a, b)| [a, b]), v.render)
            }
            None => (None, None, Vec::new(), None, None),
        };
        // Decorators applied to the whole blueprint (`csrf.exempt(bp)`) come first.
        let decorators = match r.from_blueprint {
            Some(bp) if bp_decorators.iter().any(|(b, _)| *b == bp) => {
                bp_decorators.iter().filter(|(b, _)| *b == bp).map(|(_, d)| d.clone()).chain(decorators).collect()
            }
            _ => decorators,
        };
        out.push(Route {
            app: app.cloned(),
            rule: r.rule,
            endpoint,
            methods,
            view_options,
            blueprint: r.blueprint,
            view,
            location: r.loc,
            view_location,
            decorators,
            view_lines,
            render,
            arguments,
            defaults: r.defaults,
            strict_slashes: r.strict_slashes,
            subdomain: r.subdomain,
            host: r.host,
            kind: r.kind.to_string(),
            status,
            reason: dynamic,
        });
    }
    for ((bp, reason), routes) in conditional_bps {
        let (rule, loc) = &routes[0];
        let diagnostic = match routes.len() {
            1 => registration_diagnostic(&format!("route {rule}"), &reason, loc),
            n => Diagnostic::new(
                Code::ConditionalRegistration,
                loc.file.clone(),
                loc.line,
                format!("the {n} routes of blueprint `{bp}` ({rule}, ...) are registered {reason}"),
            ),
        };
        diags.push(diagnostic);
    }
    out
}

/// Whether a registration's reason is a condition it runs under (an `if`, a loop), not a value
/// only known at run time.
fn is_conditional(reason: &str) -> bool {
    reason.starts_with("only ") || reason.starts_with("inside")
}

/// FD103 for `what` (`route /x`, `request hook ...`) registered under a condition, FD102 for
/// one whose registration depends on a value only known at run time.
fn registration_diagnostic(what: &str, reason: &str, loc: &Location) -> Diagnostic {
    let (code, message) = if is_conditional(reason) {
        (Code::ConditionalRegistration, format!("{what} is registered {reason}"))
    } else {
        (Code::DynamicRoute, format!("{what}: {reason}"))
    };
    Diagnostic::new(code, loc.file.clone(), loc.line, message)
}

/// A rule record's view, moved out when the record was its last holder (the usual case: the
/// blueprint's own records are freed before routes are built), else copied.
fn take_view(v: std::rc::Rc<crate::inventory::values::ViewInfo>) -> crate::inventory::values::ViewInfo {
    std::rc::Rc::try_unwrap(v).unwrap_or_else(|v| (*v).clone())
}
