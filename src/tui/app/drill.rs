//! A team's drill-down: the values drilled into (the team first, then a template, a model, a
//! tag's value…) and the dimension its list breaks their spend down by. Every dimension not
//! yet in the path can be the list's (`d` cycles them); `Enter` on a row adds it to the path.

use crate::report::Report;
use crate::store::query::Dim;
use crate::tui::data::Data;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Drill {
    /// `(dimension, label)` of each value drilled into, the team first.
    pub path: Vec<(Dim, String)>,
    /// What the list breaks the path's spend down by.
    pub by: Dim,
    /// The selected row of the list.
    pub selected: usize,
    /// The list's own filter (the team list's stays as it was).
    pub filter: String,
}

impl Drill {
    /// A team's drill-down, by template.
    pub fn team(team: impl Into<String>) -> Drill {
        Drill {
            path: vec![(Dim::Team, team.into())],
            by: Dim::Template,
            selected: 0,
            filter: String::new(),
        }
    }

    pub fn team_name(&self) -> &str {
        self.path.first().map_or("", |(_, t)| t.as_str())
    }

    /// The dimensions the list can break down by: template, model and the month's tag keys,
    /// those not in the path (and no second tag: each tag key is kept on its own).
    pub fn dims(&self, data: &Data) -> Vec<Dim> {
        let has = |d: &Dim| self.path.iter().any(|(p, _)| p == d);
        let tagged = self.path.iter().any(|(d, _)| d.tag_key().is_some());
        [Dim::Template, Dim::Model]
            .into_iter()
            .chain(data.tag_dims().into_iter().filter(|_| !tagged))
            .filter(|d| !has(d))
            .collect()
    }

    /// The dimension after `by` in [`dims`](Self::dims), wrapping.
    pub fn next_dim(&self, data: &Data) -> Option<Dim> {
        let dims = self.dims(data);
        let at = dims.iter().position(|d| *d == self.by);
        let next = at.map_or(0, |i| (i + 1) % dims.len().max(1));
        dims.get(next).copied()
    }

    /// The path's spend broken down by `by` (`None` until the data holding it is loaded).
    pub fn report(&self, data: &Data, by: Dim) -> Option<Report> {
        let mut dims: Vec<Dim> = self.path.iter().map(|(d, _)| *d).collect();
        dims.push(by);
        data.cube_with(&dims)?
            .report(&self.path, &[by], data.core.window.period())
    }

    /// The drill-down one level deeper, into `label` of the list, when a dimension is left to
    /// break it down by.
    pub fn deeper(&self, data: &Data, label: &str) -> Option<Drill> {
        let mut path = self.path.clone();
        path.push((self.by, label.to_string()));
        let next = Drill {
            path,
            by: self.by,
            selected: 0,
            filter: String::new(),
        };
        let by = next.dims(data).first().copied()?;
        Some(Drill { by, ..next })
    }

    /// One level up: the path without its last value, listed by that value's dimension.
    /// `None` at the team.
    pub fn up(&self) -> Option<(Drill, String)> {
        if self.path.len() < 2 {
            return None;
        }
        let mut path = self.path.clone();
        let (by, label) = path.pop()?;
        Some((
            Drill {
                path,
                by,
                selected: 0,
                filter: String::new(),
            },
            label,
        ))
    }
}
