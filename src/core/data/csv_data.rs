//! A dataset of the user's own: a CSV file read into a table, then the columns the Dataset
//! node picks — a target, classes or values, and numeric features, standardised — made into
//! samples.
//!
//! Reading is total and bounded: any bytes give a table or a [`CsvError`] that says what to
//! fix, never a panic. A file that cannot be a table at all (not text, empty, no header, a
//! repeated column name, past the size bounds) is refused whole; a row that does not fit
//! (another number of fields than the header, a feature that is not a number, a missing
//! target) is left out and reported with its line number, never dropped silently.

pub use crate::core::data::column_stats::ColumnStats;
use crate::core::model::choices::CsvTask;
use crate::core::model::file_ref::{FileRef, MAX_COLUMN_NAME, MAX_COLUMNS, size_text};

/// The largest file read: 16 MiB.
pub const MAX_BYTES: usize = 16 * 1024 * 1024;
/// The most data rows (a Dataset node's `samples` bound).
pub const MAX_ROWS: usize = 20_000;

/// The most classes a target column may hold.
pub const MAX_CLASSES: usize = 100;

/// How many left-out rows a report lists by line (the rest are counted).
pub const LISTED_ROWS: usize = 12;

/// Why columns picked from a file cannot make a dataset.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub enum SelectionError {
    #[error("{}", text!("csv-file-no-column", file = .file, column = .column))]
    NoColumn { file: String, column: String },
    #[error("{}", text!("csv-file-target-is-feature", column = .0))]
    TargetIsFeature(String),
    #[error("{}", text!("csv-file-no-feature"))]
    NoFeature,
    /// Every row was left out; the first, with why.
    #[error("{}", no_row_fits(.first))]
    NoRowFits { first: Option<LeftOut> },
    #[error("{}", text!("csv-file-one-class", target = .target, class = .class))]
    OneClass { target: String, class: String },
    #[error("{}", text!("csv-file-too-many-classes", target = .target, classes = *.classes, max = MAX_CLASSES))]
    TooManyClasses { target: String, classes: usize },
    /// Standardised, a value of the column is past what a float holds: its values are too
    /// close together for their size.
    #[error("{}", text!("csv-file-cannot-standardise", column = .column, line = *.line))]
    CannotStandardise { column: String, line: u64 },
}

/// Why a file cannot be read as a table.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub enum CsvError {
    #[error("{}", text!("csv-file-too-big", size = size_text(*.size), max = size_text(MAX_BYTES)))]
    TooBig { size: usize },
    #[error("{}", text!("csv-file-empty"))]
    Empty,
    #[error("{}", text!("csv-file-not-text", at = *.at))]
    NotText { at: usize },
    #[error("{}", text!("csv-file-no-header"))]
    NoHeader,
    #[error("{}", text!("csv-file-no-rows"))]
    NoRows,
    #[error("{}", text!("csv-file-too-many-columns", count = *.count, max = MAX_COLUMNS))]
    TooManyColumns { count: usize },
    #[error("{}", text!("csv-file-too-many-rows", max = MAX_ROWS))]
    TooManyRows,
    #[error("{}", text!("csv-file-unnamed-column", index = *.index))]
    UnnamedColumn { index: usize },
    #[error("{}", text!("csv-file-long-column-name", index = *.index, max = MAX_COLUMN_NAME))]
    LongColumnName { index: usize },
    #[error("{}", text!("csv-file-comma-in-name", index = *.index, name = .name))]
    CommaInName { index: usize, name: String },
    #[error("{}", text!("csv-file-duplicate-column", name = .name))]
    DuplicateColumn { name: String },
    #[error("{}", text!("csv-file-line-problem", line = *.line, problem = .problem))]
    Unreadable { line: u64, problem: String },
}

/// A CSV file as a table: its header and its rows of fields, as text.
#[derive(Clone, Debug, PartialEq)]
pub struct CsvTable {
    pub file: FileRef,
    pub columns: Vec<String>,
    /// Each data row, in the file's order.
    rows: Vec<Row>,
    /// Blank lines skipped (not rows, not problems).
    blank_lines: usize,
}

/// A data row: its line in the file (1-based; the header is line 1), and its fields — no
/// more than one past the header's, so that a row of a million fields costs no more than a
/// row too long by one.
#[derive(Clone, Debug, PartialEq)]
struct Row {
    line: u64,
    fields: Vec<String>,
    /// How many fields the row had.
    count: usize,
}

/// Line numbers as an editor shows them — a line ends in `\r\n`, `\n` or a lone `\r` —
/// counted forward as records come, in constant memory.
struct Lines<'t> {
    bytes: &'t [u8],
    at: usize,
    line: u64,
}

impl<'t> Lines<'t> {
    fn new(text: &'t str) -> Self {
        Self { bytes: text.as_bytes(), at: 0, line: 1 }
    }

    /// The line of the record at `position` (no earlier than the last asked about). The
    /// reader says a record after a `\r\n` starts at its `\n`: line ends are skipped.
    fn of(&mut self, position: Option<&csv::Position>) -> u64 {
        let Some(position) = position else { return 0 };
        let mut to = usize::try_from(position.byte()).unwrap_or(usize::MAX).min(self.bytes.len());
        while matches!(self.bytes.get(to), Some(b'\r' | b'\n')) {
            to += 1;
        }
        while self.at < to {
            let byte = self.bytes[self.at];
            if byte == b'\n' || (byte == b'\r' && self.bytes.get(self.at + 1) != Some(&b'\n')) {
                self.line += 1;
            }
            self.at += 1;
        }
        self.line
    }
}

/// That no row fits, with the first row's line and why.
fn no_row_fits(first: &Option<LeftOut>) -> String {
    match first {
        Some(row) => text!("csv-file-no-row-fits-first", line = row.line, problem = &row.problem),
        None => text!("csv-file-no-row-fits"),
    }
}

/// A row left out of the samples, and why.
#[derive(Clone, Debug, PartialEq)]
pub struct LeftOut {
    pub line: u64,
    pub problem: String,
}

impl CsvTable {
    /// Reads `bytes`, the file `name`: the first line is the header; fields are separated by
    /// commas (or semicolons or tabs, when the header has those and no comma), may be quoted,
    /// and are trimmed; lines end in `\n`, `\r\n` or `\r`, mixed as they come; a UTF-8 byte
    /// order mark and blank lines are skipped.
    ///
    /// # Errors
    /// Why the bytes are not a table (see [`CsvError`]).
    pub fn parse(name: &str, bytes: &[u8]) -> Result<Self, CsvError> {
        if bytes.len() > MAX_BYTES {
            return Err(CsvError::TooBig { size: bytes.len() });
        }
        let file = FileRef::of(name, bytes);
        let text =
            std::str::from_utf8(bytes).map_err(|error| CsvError::NotText { at: error.valid_up_to() })?;
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        if text.trim().is_empty() {
            return Err(CsvError::Empty);
        }
        let first_line = text.lines().find(|line| !line.trim().is_empty()).unwrap_or_default();
        let delimiter = if first_line.contains(',') {
            b','
        } else if first_line.contains(';') {
            b';'
        } else if first_line.contains('\t') {
            b'\t'
        } else {
            b','
        };
        let mut reader = csv::ReaderBuilder::new()
            .delimiter(delimiter)
            .has_headers(false)
            .flexible(true)
            .trim(csv::Trim::All)
            .from_reader(text.as_bytes());
        // The reader counts a `\r\n` as no line at all: lines are counted here.
        let mut lines = Lines::new(text);
        let mut columns: Option<Vec<String>> = None;
        let mut rows = Vec::new();
        let mut blank_lines = 0;
        for record in reader.records() {
            let record = match record {
                Ok(record) => record,
                Err(error) => {
                    return Err(CsvError::Unreadable {
                        line: lines.of(error.position()),
                        problem: match error.kind() {
                            csv::ErrorKind::Utf8 { .. } => text!("csv-file-field-not-utf8"),
                            _ => error.to_string(),
                        },
                    });
                }
            };
            let line = lines.of(record.position());
            if record.iter().all(str::is_empty) {
                blank_lines += 1;
                continue;
            }
            match &columns {
                None => columns = Some(header(&record)?),
                Some(columns) => {
                    if rows.len() == MAX_ROWS {
                        return Err(CsvError::TooManyRows);
                    }
                    let fields = record.iter().take(columns.len() + 1).map(str::to_owned).collect();
                    rows.push(Row { line, fields, count: record.len() });
                }
            }
        }
        let columns = columns.ok_or(CsvError::NoHeader)?;
        if rows.is_empty() {
            return Err(CsvError::NoRows);
        }
        Ok(Self { file, columns, rows, blank_lines })
    }

    /// Data rows (blank lines aside), fitting or not.
    pub fn row_count(&self) -> usize {
        self.rows.len()
    }

    pub fn blank_lines(&self) -> usize {
        self.blank_lines
    }

    /// Each row's line and its fields in `columns` (by index) as numbers, or, for a row where
    /// one is missing or not a finite number, what is wrong with it.
    pub fn numbers_in<'a>(
        &'a self,
        columns: &'a [usize],
    ) -> impl Iterator<Item = (u64, Result<Vec<f64>, String>)> + 'a {
        self.rows.iter().map(move |row| {
            let numbers = columns
                .iter()
                .map(|&index| {
                    let field = row.fields.get(index).map_or("", String::as_str);
                    number(field).ok_or_else(|| match self.columns.get(index) {
                        Some(column) => text!("csv-file-column-not-a-number", column = column, field = field),
                        None => text!("csv-file-no-field", number = index + 1),
                    })
                })
                .collect();
            (row.line, numbers)
        })
    }

    /// Whether every field of column `index` (of the rows that have it) is a finite number.
    pub fn is_numeric(&self, index: usize) -> bool {
        self.rows.iter().filter_map(|row| row.fields.get(index)).all(|field| number(field).is_some())
    }

    /// Distinct values of column `index`, up to `limit + 1` of them.
    fn distinct(&self, index: usize, limit: usize) -> Vec<&str> {
        let mut seen: Vec<&str> = Vec::new();
        for Row { fields, .. } in &self.rows {
            if let Some(field) = fields.get(index)
                && !field.is_empty()
                && !seen.contains(&field.as_str())
            {
                seen.push(field);
                if seen.len() > limit {
                    break;
                }
            }
        }
        seen
    }

    /// The task a target column suggests: classes when it holds text, or at most 20
    /// distinct whole numbers; values otherwise.
    pub fn suggested_task(&self, target: &str) -> CsvTask {
        let Some(index) = self.columns.iter().position(|column| column == target) else {
            return CsvTask::Classification;
        };
        let values = self.distinct(index, 20);
        let whole = values.iter().all(|value| number(value).is_some_and(|number| number.fract() == 0.0));
        if !self.is_numeric(index) || (whole && values.len() <= 20) {
            CsvTask::Classification
        } else {
            CsvTask::Regression
        }
    }

    /// The columns a Dataset node takes when it is given this file, going on from what it had
    /// (`previous`): its target and features where this file has them (the same file again,
    /// or a newer version of it), else the last column as the target, every other as a
    /// feature, and the task the target suggests.
    pub fn selection_from(&self, previous: &CsvSelection) -> CsvSelection {
        let has = |name: &String| self.columns.contains(name);
        if has(&previous.target) && previous.features.iter().all(has) {
            return previous.clone();
        }
        let target = self.columns.last().cloned().unwrap_or_default();
        CsvSelection { task: self.suggested_task(&target), target, features: Vec::new() }
    }

    /// The samples of `selection`: its features standardised, its targets as classes or
    /// values, and every row that does not fit, left out with why.
    ///
    /// # Errors
    /// Why the selection cannot make a dataset: a column the file lacks, the target among the
    /// features, no feature, no row that fits, a target of one class or of more than
    /// [`MAX_CLASSES`].
    pub fn select(&self, selection: &CsvSelection) -> Result<CsvData, SelectionError> {
        let position = |name: &str| {
            self.columns.iter().position(|column| column == name).ok_or_else(|| SelectionError::NoColumn {
                file: self.file.name.clone(),
                column: name.to_owned(),
            })
        };
        let target = position(&selection.target)?;
        let features: Vec<usize> = if selection.features.is_empty() {
            (0..self.columns.len()).filter(|&index| index != target).collect()
        } else {
            selection.features.iter().map(|name| position(name)).collect::<Result<_, _>>()?
        };
        if features.contains(&target) {
            return Err(SelectionError::TargetIsFeature(selection.target.clone()));
        }
        if features.is_empty() {
            return Err(SelectionError::NoFeature);
        }
        let mut left_out = Vec::new();
        let mut inputs: Vec<f64> = Vec::with_capacity(self.rows.len() * features.len());
        let mut targets: Vec<&str> = Vec::with_capacity(self.rows.len());
        let mut kept_lines: Vec<u64> = Vec::with_capacity(self.rows.len());
        'rows: for &Row { line, ref fields, count } in &self.rows {
            if count != self.columns.len() {
                left_out.push(LeftOut {
                    line,
                    problem: text!("csv-file-row-fields", count = count, columns = self.columns.len()),
                });
                continue;
            }
            let target_text = fields[target].as_str();
            if target_text.is_empty() {
                let problem = text!("csv-file-row-no-target", target = &selection.target);
                left_out.push(LeftOut { line, problem });
                continue;
            }
            if selection.task == CsvTask::Regression {
                let (value, name) = (short(target_text), &selection.target);
                let problem = match number(target_text) {
                    None => Some(text!("csv-file-row-target-not-a-number", value = value, target = name)),
                    // Targets train as 32-bit floats, unscaled: past their range a loss is inf.
                    Some(number) if number.abs() > f64::from(f32::MAX) => {
                        Some(text!("csv-file-row-target-too-large", value = value, target = name))
                    }
                    Some(_) => None,
                };
                if let Some(problem) = problem {
                    left_out.push(LeftOut { line, problem });
                    continue;
                }
            }
            let start = inputs.len();
            for &feature in &features {
                match number(&fields[feature]) {
                    Some(value) => inputs.push(value),
                    None => {
                        inputs.truncate(start);
                        let field = &fields[feature];
                        let problem = if field.is_empty() {
                            text!("csv-file-row-no-value", column = &self.columns[feature])
                        } else {
                            text!(
                                "csv-file-row-not-a-number",
                                value = short(field),
                                column = &self.columns[feature]
                            )
                        };
                        left_out.push(LeftOut { line, problem });
                        continue 'rows;
                    }
                }
            }
            targets.push(target_text);
            kept_lines.push(line);
        }
        if targets.is_empty() {
            return Err(SelectionError::NoRowFits { first: left_out.into_iter().next() });
        }
        let width = features.len();
        let stats: Vec<ColumnStats> = features
            .iter()
            .enumerate()
            .map(|(at, &feature)| {
                ColumnStats::of(&self.columns[feature], inputs.iter().skip(at).step_by(width).copied())
            })
            .collect();
        let mut standardised = Vec::with_capacity(inputs.len());
        for (row, &line) in inputs.chunks_exact(width).zip(&kept_lines) {
            for (&value, stats) in row.iter().zip(&stats) {
                let scaled = stats.standardised(value) as f32;
                if !scaled.is_finite() {
                    return Err(SelectionError::CannotStandardise { column: stats.name.clone(), line });
                }
                standardised.push(scaled);
            }
        }
        let (targets, labels) = match selection.task {
            CsvTask::Regression => (
                CsvTargets::Values(
                    targets.iter().filter_map(|text| number(text)).map(|v| v as f32).collect(),
                ),
                Vec::new(),
            ),
            CsvTask::Classification => {
                let labels = class_labels(&targets);
                if labels.len() < 2 {
                    return Err(SelectionError::OneClass {
                        target: selection.target.clone(),
                        class: labels.into_iter().next().unwrap_or_default(),
                    });
                }
                if labels.len() > MAX_CLASSES {
                    return Err(SelectionError::TooManyClasses {
                        target: selection.target.clone(),
                        classes: labels.len(),
                    });
                }
                let indices = targets
                    .iter()
                    .map(|text| labels.iter().position(|label| label == text).unwrap_or(0) as i64)
                    .collect();
                (CsvTargets::Classes(indices), labels)
            }
        };
        Ok(CsvData {
            file: self.file.clone(),
            selection: selection.clone(),
            features: features.iter().map(|&index| self.columns[index].clone()).collect(),
            inputs: standardised,
            targets,
            labels,
            stats,
            rows: self.rows.len(),
            left_out,
        })
    }
}

/// The header's column names.
fn header(record: &csv::StringRecord) -> Result<Vec<String>, CsvError> {
    if record.len() > MAX_COLUMNS {
        return Err(CsvError::TooManyColumns { count: record.len() });
    }
    let mut columns: Vec<String> = Vec::with_capacity(record.len());
    for (at, name) in record.iter().enumerate() {
        let index = at + 1;
        if name.is_empty() {
            return Err(CsvError::UnnamedColumn { index });
        }
        if name.chars().count() > MAX_COLUMN_NAME {
            return Err(CsvError::LongColumnName { index });
        }
        if name.contains(',') {
            return Err(CsvError::CommaInName { index, name: name.to_owned() });
        }
        if columns.iter().any(|column| column == name) {
            return Err(CsvError::DuplicateColumn { name: name.to_owned() });
        }
        columns.push(name.chars().filter(|c| !c.is_control()).collect());
    }
    Ok(columns)
}

/// A field as a finite number, if it is one.
fn number(field: &str) -> Option<f64> {
    field.parse::<f64>().ok().filter(|value| value.is_finite())
}

/// `text` cut to 24 characters, for a message.
fn short(text: &str) -> String {
    let cut: String = text.chars().take(24).collect();
    if cut.len() < text.len() { format!("{cut}…") } else { cut }
}

/// The distinct target values as class names, in order: by value when all are numbers, else
/// alphabetically.
fn class_labels(targets: &[&str]) -> Vec<String> {
    let mut labels: Vec<&str> = targets.to_vec();
    labels.sort_unstable();
    labels.dedup();
    if labels.iter().all(|label| number(label).is_some()) {
        labels.sort_by(|a, b| number(a).unwrap_or(0.0).total_cmp(&number(b).unwrap_or(0.0)));
        labels.dedup_by(|a, b| number(a) == number(b));
    }
    labels.into_iter().map(str::to_owned).collect()
}

/// Which columns a Dataset node picks from its file.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct CsvSelection {
    pub target: String,
    /// The feature columns; empty: every column but the target.
    pub features: Vec<String>,
    pub task: CsvTask,
}

/// A CSV's targets.
#[derive(Clone, Debug, PartialEq)]
pub enum CsvTargets {
    /// Class indices into [`CsvData::labels`].
    Classes(Vec<i64>),
    Values(Vec<f32>),
}

/// The samples a Dataset node makes of its file.
#[derive(Clone, Debug)]
pub struct CsvData {
    pub file: FileRef,
    pub selection: CsvSelection,
    /// The feature columns, in order.
    pub features: Vec<String>,
    /// `[samples × features]`, row-major, standardised.
    pub inputs: Vec<f32>,
    pub targets: CsvTargets,
    /// The classes' names (the target column's values), for a classification.
    pub labels: Vec<String>,
    pub stats: Vec<ColumnStats>,
    /// Data rows in the file.
    pub rows: usize,
    pub left_out: Vec<LeftOut>,
}

/// Two selections of one file are the same data: comparing them compares no samples.
impl PartialEq for CsvData {
    fn eq(&self, other: &Self) -> bool {
        self.file == other.file && self.selection == other.selection
    }
}

impl CsvData {
    pub fn samples(&self) -> usize {
        match &self.targets {
            CsvTargets::Classes(labels) => labels.len(),
            CsvTargets::Values(values) => values.len(),
        }
    }

    pub fn classes(&self) -> usize {
        self.labels.len()
    }

    /// The rows left out, as one sentence: the first [`LISTED_ROWS`] by line, then a count.
    pub fn left_out_text(&self) -> Option<String> {
        if self.left_out.is_empty() {
            return None;
        }
        let listed: Vec<String> = self
            .left_out
            .iter()
            .take(LISTED_ROWS)
            .map(|row| text!("csv-file-line-problem", line = row.line, problem = &row.problem))
            .collect();
        Some(text!(
            "csv-file-left-out",
            count = self.left_out.len(),
            rows = self.rows,
            file = &self.file.name,
            listed = listed.join("; "),
            more = self.left_out.len().saturating_sub(LISTED_ROWS)
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table(text: &str) -> CsvTable {
        CsvTable::parse("t.csv", text.as_bytes()).unwrap_or_else(|error| panic!("{error}"))
    }

    fn selection(target: &str, task: CsvTask) -> CsvSelection {
        CsvSelection { target: target.to_owned(), features: Vec::new(), task }
    }

    #[test]
    fn a_file_reference_round_trips_through_its_parameter_text() {
        let file = FileRef::of("iris: the classic.csv", b"a,b\n1,2\n");
        assert_eq!(file.sha256.len(), 64);
        assert_eq!(FileRef::from_param(&file.to_param()), Some(file));
        for text in ["", "abc", "zz:1:x", &format!("{}:x:name", "0".repeat(64))] {
            assert_eq!(FileRef::from_param(text), None, "{text}");
        }
    }

    #[test]
    fn features_are_standardised_and_classes_named_in_order() {
        let data = table("x,y,label\n1,10,b\n2,20,a\n3,30,b\n")
            .select(&selection("label", CsvTask::Classification))
            .unwrap();
        assert_eq!(data.features, ["x", "y"]);
        assert_eq!(data.labels, ["a", "b"]);
        assert_eq!(data.targets, CsvTargets::Classes(vec![1, 0, 1]));
        let std = (2.0f64 / 3.0).sqrt();
        assert!((data.stats[0].mean - 2.0).abs() < 1e-12 && (data.stats[0].std - std).abs() < 1e-12);
        assert!((f64::from(data.inputs[0]) + 1.0 / std).abs() < 1e-6, "{:?}", data.inputs);
        assert_eq!((data.stats[1].min, data.stats[1].max), (10.0, 30.0));
    }

    #[test]
    fn a_rows_line_is_its_line_in_the_file_whatever_its_line_ends() {
        for ending in ["\n", "\r\n", "\r"] {
            let text = ["x,y,label", "1,2,a", "3,4,b", "5,6", "7,8,a"].join(ending);
            let table = CsvTable::parse("t.csv", text.as_bytes()).unwrap();
            let data = table
                .select(&CsvSelection {
                    target: "label".into(),
                    features: Vec::new(),
                    task: CsvTask::Classification,
                })
                .unwrap();
            let lines: Vec<u64> = data.left_out.iter().map(|row| row.line).collect();
            assert_eq!(lines, [4], "{ending:?}");
        }
    }
}
