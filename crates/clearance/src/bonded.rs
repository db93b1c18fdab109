//! What a bonded (1210 网购保税进口) declaration list draws from its
//! e-account book (电子账册, policy-rules.md §5): the book it names
//! (`emsNo`), the zone warehouse enterprise (`areaCode`), and per item
//! record number (`itemRecordNo`, the book's 料号) the quantity in the
//! line's declared unit. Reading it is pure; holding the stock is the
//! store's (`kuajing_store::ems_books`).
//!
//! Every problem is a [`Reason`] with code -621001 (table 7-2, "inventory
//! validation failed"; the specification has no code of its own for an
//! account book) naming the field, the rule and the value.

use kuajing_ceb::model::import::Inventory;
use kuajing_core::quantity::units;

use crate::decision::Reason;
use crate::list_checks::BONDED;

/// The code a list is refused with for its account book.
pub const BOOK_CODE: i32 = -621001;

/// What one item of the list takes from the book.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Draw {
    /// The item record number (料号).
    pub item_no: String,
    /// The declared unit of the list's lines for it.
    pub unit: String,
    /// The quantity, in 1/[`kuajing_core::quantity::UNIT_SCALE`] units (the
    /// item's lines summed).
    pub quantity: i64,
}

/// What a 1210 list takes from its book.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BookDraw {
    /// The book (`emsNo`).
    pub ems_no: String,
    /// The zone warehouse enterprise (`areaCode`).
    pub area_code: String,
    /// Per item, in the order the list first names it.
    pub draws: Vec<Draw>,
}

/// `Ok(None)` for a list that is not 1210 (it draws on no book), the
/// draw of a 1210 list, or every problem found.
pub fn book_draw(list: &Inventory) -> Result<Option<BookDraw>, Vec<Reason>> {
    let head = &list.inventory_head;
    if head.trade_mode != BONDED {
        return Ok(None);
    }
    let mut problems = Vec::new();
    let ems_no = required(head.ems_no.as_deref(), "emsNo", &mut problems);
    let area_code = required(head.area_code.as_deref(), "areaCode", &mut problems);
    let mut draws: Vec<Draw> = Vec::new();
    for line in &list.inventory_list {
        let gnum = line.gnum;
        let field = format!("InventoryList[gnum={gnum}]/itemRecordNo");
        let Some(item_no) = required(line.item_record_no.as_deref(), &field, &mut problems) else {
            continue;
        };
        let Some(quantity) = units(line.qty) else {
            problems.push(reason(
                &format!("InventoryList[gnum={gnum}]/qty"),
                "须为正数且至多五位小数",
                "must be positive with at most five decimals",
                &line.qty.to_string(),
            ));
            continue;
        };
        match draws.iter_mut().find(|d| d.item_no == item_no) {
            Some(draw) if draw.unit != line.unit => problems.push(reason(
                &format!("InventoryList[gnum={gnum}]/unit"),
                &format!("同一料号各行计量单位须一致（{}）", draw.unit),
                &format!("must be the same on every line of the item ({})", draw.unit),
                &line.unit,
            )),
            Some(draw) => draw.quantity = draw.quantity.saturating_add(quantity),
            None => draws.push(Draw {
                item_no,
                unit: line.unit.clone(),
                quantity,
            }),
        }
    }
    match (ems_no, area_code) {
        (Some(ems_no), Some(area_code)) if problems.is_empty() => Ok(Some(BookDraw {
            ems_no,
            area_code,
            draws,
        })),
        _ => Err(problems),
    }
}

/// The reason a draw on the book is refused: the field, the rule and the
/// value, in both languages.
pub fn reason(field: &str, rule_zh: &str, rule_en: &str, value: &str) -> Reason {
    Reason {
        code: BOOK_CODE,
        message_zh: format!("保税账册：{field} {rule_zh}（申报值“{value}”）"),
        message_en: format!("bonded account book: {field} {rule_en} (declared '{value}')"),
    }
}

fn required(value: Option<&str>, field: &str, problems: &mut Vec<Reason>) -> Option<String> {
    match value.map(str::trim) {
        Some(v) if !v.is_empty() => Some(v.to_owned()),
        _ => {
            problems.push(reason(
                field,
                "网购保税进口（1210）清单必填",
                "is required on a bonded (1210) list",
                "",
            ));
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use kuajing_ceb::model::import::CEB621Message;
    use kuajing_ceb::sample::Parcel;
    use rust_decimal::Decimal;

    use super::*;

    /// The example parcel's list (a 1210 list, as the official sample),
    /// on book `T1909W000001`.
    fn bonded() -> CEB621Message {
        let mut list = Parcel::numbered(1).list;
        let inventory = &mut list.inventory[0];
        inventory.inventory_head.ems_no = Some("T1909W000001".to_owned());
        inventory.inventory_head.area_code = Some("2224960005".to_owned());
        for line in &mut inventory.inventory_list {
            line.item_record_no = Some("HONEY-500G".to_owned());
        }
        list
    }

    #[test]
    fn a_9610_list_draws_on_no_book() {
        let mut list = Parcel::numbered(1).list;
        list.inventory[0].inventory_head.trade_mode = "9610".to_owned();
        assert_eq!(book_draw(&list.inventory[0]), Ok(None));
    }

    #[test]
    fn a_1210_list_draws_its_items_in_their_units() {
        let list = bonded();
        let inventory = &list.inventory[0];
        let draw = book_draw(inventory).unwrap().unwrap();
        assert_eq!(draw.ems_no, "T1909W000001");
        assert_eq!(draw.area_code, "2224960005");
        let qty: Decimal = inventory.inventory_list.iter().map(|l| l.qty).sum();
        assert_eq!(draw.draws.len(), 1);
        assert_eq!(draw.draws[0].quantity, units(qty).unwrap());
        assert_eq!(draw.draws[0].unit, inventory.inventory_list[0].unit);
    }

    #[test]
    fn a_1210_list_without_its_book_or_items_is_refused_naming_each_field() {
        let mut list = bonded();
        let inventory = &mut list.inventory[0];
        inventory.inventory_head.ems_no = None;
        inventory.inventory_list[0].item_record_no = Some("  ".to_owned());
        let problems = book_draw(inventory).unwrap_err();
        assert_eq!(problems.len(), 2, "{problems:?}");
        assert!(problems[0].message_en.contains("emsNo is required"));
        assert!(problems[1].message_en.contains("itemRecordNo is required"));
        assert!(problems.iter().all(|p| p.code == -621001));
    }
}
