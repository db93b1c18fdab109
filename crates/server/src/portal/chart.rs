//! Charts drawn on the server as SVG: no script, nothing fetched, readable
//! by screen readers (`role="img"` with a title and a description), and
//! always shown with the table of the same numbers beside them.

use std::fmt::Write;

/// A series of a stacked bar chart: its name and its colour (a CSS colour
/// from the portal's palette, which meets WCAG AA contrast on white).
pub struct Series<'a> {
    /// The series' name, for the legend.
    pub name: &'a str,
    /// Its colour.
    pub colour: &'a str,
}

/// A stacked bar chart: one bar per category, each bar the sum of its
/// series' values, stacked in the series' order.
pub struct StackedBars<'a> {
    /// What the chart shows (the SVG's title).
    pub title: &'a str,
    /// A sentence saying it in words (the SVG's description).
    pub description: &'a str,
    /// The series, bottom first.
    pub series: &'a [Series<'a>],
    /// The bars: a category's label and one value per series.
    pub bars: &'a [(String, Vec<i64>)],
}

const WIDTH: i64 = 640;
const HEIGHT: i64 = 260;
const LEFT: i64 = 48;
const RIGHT: i64 = 12;
const TOP: i64 = 36;
const BOTTOM: i64 = 40;

impl StackedBars<'_> {
    /// The chart as an `<svg>` element; `id` makes its title and
    /// description unique on the page.
    pub fn svg(&self, id: &str) -> String {
        let id = escape(id);
        let top = self
            .bars
            .iter()
            .map(|(_, values)| values.iter().sum::<i64>())
            .max()
            .unwrap_or(0);
        let scale_top = nice_ceiling(top);
        let plot_height = HEIGHT - TOP - BOTTOM;
        let plot_width = WIDTH - LEFT - RIGHT;
        let mut svg = String::new();
        let _ = write!(
            svg,
            r#"<svg class="chart" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" aria-labelledby="{id}-title {id}-desc" xmlns="http://www.w3.org/2000/svg"><title id="{id}-title">{}</title><desc id="{id}-desc">{}</desc>"#,
            escape(self.title),
            escape(self.description)
        );
        // The legend, along the top.
        let mut x = LEFT;
        for series in self.series {
            let _ = write!(
                svg,
                r#"<rect x="{x}" y="8" width="12" height="12" fill="{}"/><text x="{}" y="18" class="chart-legend">{}</text>"#,
                escape(series.colour),
                x + 16,
                escape(series.name)
            );
            x += 24 + 8 * series.name.chars().count() as i64 + 24;
        }
        // The value axis: four steps to a round top.
        for step in 0..=4 {
            let value = scale_top * step / 4;
            let y = TOP + plot_height - plot_height * step / 4;
            let _ = write!(
                svg,
                r#"<line x1="{LEFT}" y1="{y}" x2="{}" y2="{y}" class="chart-grid"/><text x="{}" y="{}" class="chart-axis" text-anchor="end">{value}</text>"#,
                WIDTH - RIGHT,
                LEFT - 6,
                y + 4
            );
        }
        let count = i64::try_from(self.bars.len()).unwrap_or(1).max(1);
        let slot = plot_width / count;
        let bar = (slot * 2 / 3).max(2);
        let every = (count / 7).max(1);
        for (i, (label, values)) in self.bars.iter().enumerate() {
            let i = i64::try_from(i).unwrap_or(0);
            let x = LEFT + slot * i + (slot - bar) / 2;
            let mut base = TOP + plot_height;
            for (value, series) in values.iter().zip(self.series) {
                if *value <= 0 || scale_top == 0 {
                    continue;
                }
                let height = (plot_height * value / scale_top).max(1);
                base -= height;
                let _ = write!(
                    svg,
                    r#"<rect x="{x}" y="{base}" width="{bar}" height="{height}" fill="{}"><title>{} · {}: {value}</title></rect>"#,
                    escape(series.colour),
                    escape(label),
                    escape(series.name)
                );
            }
            if (count - 1 - i) % every == 0 {
                let _ = write!(
                    svg,
                    r#"<text x="{}" y="{}" class="chart-axis" text-anchor="middle">{}</text>"#,
                    x + bar / 2,
                    HEIGHT - BOTTOM + 16,
                    escape(label)
                );
            }
        }
        svg.push_str("</svg>");
        svg
    }
}

/// A round top for the value axis at or above `value`: 4, 8 or 20 times a
/// power of ten, so that its four steps are whole round numbers (1, 2, 5,
/// 10, 20, 50, … each).
fn nice_ceiling(value: i64) -> i64 {
    let mut power: i64 = 1;
    loop {
        for multiple in [4, 8, 20] {
            if multiple * power >= value {
                return multiple * power;
            }
        }
        power = power.saturating_mul(10);
    }
}

/// Text for SVG: `&`, `<`, `>` and quotes as entities.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            other => out.push(other),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_chart_draws_every_value_and_escapes_its_text() {
        let series = [
            Series {
                name: "放行",
                colour: "#1d6b3a",
            },
            Series {
                name: "<退单>",
                colour: "#a61b22",
            },
        ];
        let bars = vec![
            ("12-05".to_owned(), vec![3, 1]),
            ("12-06".to_owned(), vec![0, 0]),
        ];
        let chart = StackedBars {
            title: "Lists \"decided\"",
            description: "per day",
            series: &series,
            bars: &bars,
        };
        let svg = chart.svg("c1");
        assert!(svg.starts_with("<svg") && svg.ends_with("</svg>"));
        assert!(svg.contains("12-05 · 放行: 3") && svg.contains("12-05 · &lt;退单&gt;: 1"));
        assert!(!svg.contains("12-06 · 放行: 0"), "no bar for nothing");
        assert!(svg.contains("Lists &quot;decided&quot;") && !svg.contains("<退单>"));
        assert_eq!(
            svg.matches("<rect").count(),
            2 + 2,
            "two legend keys, two bars"
        );
    }

    #[test]
    fn the_axis_top_is_round() {
        assert_eq!(nice_ceiling(0), 4);
        assert_eq!(nice_ceiling(3), 4);
        assert_eq!(nice_ceiling(7), 8);
        assert_eq!(nice_ceiling(9), 20);
        assert_eq!(nice_ceiling(137), 200);
    }
}
