use std::time::Instant;
fn main() {
    let path = std::env::args().nth(1).unwrap();
    let t = Instant::now();
    let bytes = policy_check::source::read_path(std::path::Path::new(&path)).unwrap();
    let t1 = t.elapsed();
    let src = policy_check::Source::from_bytes(&path, bytes).unwrap();
    let t2 = t.elapsed();
    let doc = policy_check::Document::parse(src).unwrap();
    let t3 = t.elapsed();
    let auth = policy_check::Authorizer::from_document(&doc, policy_check::InputKind::Auto).unwrap();
    let t4 = t.elapsed();
    let req = policy_check::Request::from_target("GET", "/items/1").unwrap()
        .with(policy_check::Part::Partition, "aws").with(policy_check::Part::Region, "us-east-1")
        .with(policy_check::Part::Account, "123456789012").with(policy_check::Part::ApiId, "target").with(policy_check::Part::Stage, "prod");
    let checked = policy_check::Checked { document: doc, authorizer: auth };
    let eval = checked.evaluate(&req).unwrap();
    let t5 = t.elapsed();
    let report = policy_check::report::CheckReport { checked: &checked, request: &req, eval: &eval, expect: None };
    let mut out = Vec::new();
    policy_check::report::human::write(&report, policy_check::report::Style::default(), &mut out).unwrap();
    let t6 = t.elapsed();
    let mut out2 = Vec::new();
    policy_check::report::json::write(&report, policy_check::report::Style::default(), &mut out2).unwrap();
    let t7 = t.elapsed();
    drop(eval); drop(checked);
    let t8 = t.elapsed();
    eprintln!("read {:?} utf8 {:?} parse {:?} model {:?} eval {:?} human {:?} json {:?} drop {:?}", t1, t2-t1, t3-t2, t4-t3, t5-t4, t6-t5, t7-t6, t8-t7);
}
