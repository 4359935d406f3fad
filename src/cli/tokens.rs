//! `cost tokens`: token counts of template files, by section (a debugging aid).

use super::Context;
use crate::error::Result;
use crate::template::count::count;
use crate::template::discover::discover;
use crate::template::{FsFiles, LoadOptions, Section, Template};
use crate::tokenize::Tokenizer;
use serde::Serialize;
use std::process::ExitCode;

/// Count the tokens of template files, by section
///
/// Shows how many tokens each part of the rendered request takes for one model: system,
/// user, assistant and tool messages, tool definitions, and chat framing.
#[derive(Debug, clap::Args)]
#[command(
    after_help = "Examples:\n  cost tokens templates/support/answer.prompt --model gpt-4o\n  cost tokens 'templates/**' --format json"
)]
pub struct Args {
    /// Template files, directories or quoted globs
    #[arg(value_name = "FILE", required = true)]
    pub files: Vec<String>,
    /// Count for this model [default: the template's primary model]
    #[arg(short, long, value_name = "MODEL")]
    pub model: Option<String>,
    /// Set a template variable: `--var product="Acme X2"`, or `--var ticket=tokens:800`
    #[arg(long = "var", value_name = "KEY=VALUE", value_parser = super::estimate::parse_var)]
    pub vars: Vec<(String, String)>,
}

#[derive(Debug, Serialize)]
pub struct TokensReport {
    pub schema: &'static str,
    pub files: Vec<FileTokens>,
}

#[derive(Debug, Serialize)]
pub struct FileTokens {
    pub file: String,
    pub template: String,
    pub model: String,
    pub tokenizer: String,
    pub exact: bool,
    pub input_tokens: u64,
    /// Tools + framing + static text before the first per-call expression.
    pub static_prefix_tokens: u64,
    pub sections: Vec<crate::estimate::SectionTokens>,
    /// Set for approximate counts: the calibration applied.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub calibration: Option<String>,
}

pub fn run(ctx: &Context, args: &Args) -> Result<ExitCode> {
    let prices = ctx.prices()?;
    let today = ctx.today();
    let options = LoadOptions {
        vars: args.vars.iter().cloned().collect(),
    };
    let mut files = Vec::new();
    for f in discover(&ctx.config, &args.files, &ctx.cwd)? {
        let template = Template::load(&FsFiles, &f.path, &f.default_name, &options)?;
        let settings = ctx.config.settings_for(&template.name);
        let model = args
            .model
            .clone()
            .or_else(|| template.model.clone())
            .or_else(|| settings.model.clone())
            .or_else(|| settings.models.first().cloned())
            .unwrap_or_else(|| "gpt-4o".into());
        let price = prices.lookup(&model, Some(today)).map_err(|e| {
            e.in_context(if args.model.is_some() {
                "--model".into()
            } else {
                ctx.show_path(&f.path)
            })
        })?;
        let tokenizer = Tokenizer::for_model(price);
        let counted = count(&template, tokenizer.encoding);
        let sections: Vec<_> = counted
            .sections_for(&tokenizer)
            .into_iter()
            .map(|(role, tokens)| crate::estimate::SectionTokens { role, tokens })
            .collect();
        files.push(FileTokens {
            file: ctx.show_path(&f.path),
            template: template.name.clone(),
            model,
            tokenizer: tokenizer.encoding.name().into(),
            exact: tokenizer.exact(),
            input_tokens: sections.iter().map(|s| s.tokens).sum(),
            static_prefix_tokens: counted.prefix.tokens(&tokenizer),
            sections,
            calibration: tokenizer
                .calibration
                .map(|c| format!("{} × {} ({})", tokenizer.encoding, c.factor, c.source)),
        });
    }
    ctx.emit(&TokensReport {
        schema: "cost.tokens/v1",
        files,
    })?;
    Ok(ExitCode::SUCCESS)
}

/// Sections in display order.
pub const SECTION_ORDER: [Section; 6] = [
    Section::System,
    Section::User,
    Section::Assistant,
    Section::Tool,
    Section::Tools,
    Section::Framing,
];

impl crate::output::Render for TokensReport {
    fn table(&self, opts: crate::output::TableOptions) -> crate::output::TableData {
        let verbose = opts.verbose;
        use crate::output::{Align, Cell, TableData};
        let present: Vec<Section> = SECTION_ORDER
            .into_iter()
            .filter(|s| self.files.iter().any(|f| f.sections.iter().any(|x| x.role == *s)))
            .collect();
        let mut headers = vec![
            ("Template".to_string(), Align::Left),
            ("Model".to_string(), Align::Left),
            ("Tokenizer".to_string(), Align::Left),
        ];
        for s in &present {
            let mut title = s.as_str().to_string();
            title[..1].make_ascii_uppercase();
            headers.push((title, Align::Right));
        }
        headers.push(("Total".into(), Align::Right));
        headers.push(("Static prefix".into(), Align::Right));
        let rows = self
            .files
            .iter()
            .map(|f| {
                let mut row = vec![Cell::text(&f.template), Cell::text(&f.model), Cell::text(&f.tokenizer)];
                for s in &present {
                    let n = f.sections.iter().find(|x| x.role == *s).map(|x| x.tokens).unwrap_or(0);
                    row.push(Cell::tokens(n, f.exact));
                }
                row.push(Cell::tokens(f.input_tokens, f.exact).tone(crate::output::Tone::Strong));
                row.push(Cell::tokens(f.static_prefix_tokens, f.exact));
                row
            })
            .collect();
        let mut notes = Vec::new();
        if self.files.iter().any(|f| !f.exact) {
            notes.push("≈ approximate count for a model without a public tokenizer".to_string());
        }
        if verbose {
            for f in &self.files {
                if let Some(c) = &f.calibration {
                    notes.push(format!("{}: {c}", f.template));
                }
            }
        }
        TableData {
            headers,
            findings: Vec::new(),
            rows,
            footer: None,
            notes,
        }
    }
}
