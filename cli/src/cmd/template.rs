//! `chuangzheng template`: the spreadsheet a clerk fills for a kind of record, with the ids of
//! a journal's scope when one is given.

use chuangzheng::sheets::{Ids, template};
use jiff::civil::Date;

use crate::args::TemplateArgs;
use crate::failure::{Failure, io_failure, say, usage};
use crate::journal::{replay, scope_of};

pub fn run(a: &TemplateArgs) -> Result<(), Failure> {
    let kind = a.kind;
    let (ids, made) = match &a.journal {
        Some(journal) => {
            let (campaign, _) = replay(journal)?;
            let root = scope_of(&campaign, a.scope.as_deref())?;
            let on = a.as_of.or(campaign.latest_date()).ok_or_else(|| {
                usage(
                    "日志中没有记录，请给出 --as-of",
                    "the journal holds no record: give --as-of",
                )
            })?;
            (Some(Ids::of(campaign.state(), root, on)), on)
        }
        // Without a journal, a fixed date: the same command gives the same bytes.
        None => (None, Date::constant(2010, 1, 1)),
    };
    let bytes = template(kind, ids.as_ref(), made)?;
    std::fs::write(&a.out, bytes).map_err(|e| io_failure("写入", &a.out, &e))?;
    let (sheet, out) = (kind.sheet(), a.out.display());
    let listed = ids.as_ref().map_or(String::new(), |ids| {
        format!(
            "，列出组织 {} 个、党员 {} 名",
            ids.orgs.len(),
            ids.members.len()
        )
    });
    let listed_en = ids.as_ref().map_or(String::new(), |ids| {
        format!(
            ", listing {} organizations and {} members",
            ids.orgs.len(),
            ids.members.len()
        )
    });
    say!("已写入「{sheet}」模板：{out}{listed}");
    say!("template written ({}): {out}{listed_en}", kind.name());
    Ok(())
}
