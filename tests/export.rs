//! The exports' files, natively (the programs themselves run in `export_pytorch.rs` and
//! `export_burn.rs`): every template exports as both programs with Kindling's data and batch
//! order, the notes name what differs, and the page's zip holds the same files.
#![cfg(not(target_arch = "wasm32"))]

use std::io::Read;

use futures_lite::future::block_on;
use kindling::core::compile::compiler::compile;
use kindling::core::export::{self, Export, burn_project, pytorch};
use kindling::core::model::templates::TEMPLATES;

fn text<'a>(export: &'a Export, path: &str) -> &'a str {
    std::str::from_utf8(&export.file(path).unwrap_or_else(|| panic!("{path} is missing")).bytes)
        .expect("UTF-8")
}

#[test]
fn every_template_exports_its_data_and_batch_order_for_both_programs() {
    let mut exported = 0;
    for template in TEMPLATES {
        let graph = (template.build)();
        // The blank template has nothing to train.
        let Ok(plan) = compile(&graph) else { continue };
        exported += 1;
        for export in [
            block_on(pytorch::export(&graph, template.slug)),
            block_on(burn_project::export(&graph, template.slug)),
        ] {
            let export = export.expect("exports");
            let data = text(&export, "data.csv");
            let rows: Vec<&str> = data.lines().skip(1).collect();
            let train = rows.iter().filter(|row| row.starts_with("train,")).count();
            let total = plan
                .dataset
                .kind
                .max_samples()
                .map_or(plan.dataset.samples, |max| max.min(plan.dataset.samples));
            assert_eq!(rows.len(), total, "{}: one row per sample", template.slug);
            let order = text(&export, "batch_order.csv");
            let epochs: Vec<Vec<usize>> =
                order.lines().map(|line| line.split(',').map(|i| i.parse().unwrap()).collect()).collect();
            assert_eq!(epochs.len(), plan.tracker.epochs, "{}: an order per epoch", template.slug);
            for epoch in &epochs {
                let mut sorted = epoch.clone();
                sorted.sort_unstable();
                assert_eq!(
                    sorted,
                    (0..train).collect::<Vec<_>>(),
                    "{}: each epoch visits every training sample once",
                    template.slug
                );
            }
            assert_eq!(
                export.notes,
                export::notes(&graph).unwrap(),
                "{}: the page shows the export's notes",
                template.slug
            );
        }
    }
    assert_eq!(exported, TEMPLATES.len() - 1, "every template but the blank one exports");
}

#[test]
fn the_pytorch_program_carries_every_setting_and_names_its_nodes() {
    let graph = kindling::core::model::templates::basic_loop();
    let export = block_on(pytorch::export(&graph, "basic loop")).unwrap();
    let program = text(&export, "train.py");
    for expected in [
        "nn.Linear(2, 16)",
        "torch.optim.SGD(parameters, lr=0.03, momentum=0.9",
        "F.cross_entropy(outputs, targets, reduction=\"mean\", label_smoothing=0.0, ignore_index=-100)",
        "DistributedDataParallel(model)",
        "DistributedSampler(",
        "BATCH_SIZE = 32",
        "# BatchSampler #",
        "\"\"\"Network #",
    ] {
        assert!(program.contains(expected), "train.py lacks {expected:?}");
    }
    assert!(!program.contains("{{"), "every part of the template is filled");
}

#[test]
fn a_graph_named_like_a_placeholder_is_exported_with_its_name_as_text() {
    let graph = kindling::core::model::templates::basic_loop();
    let name = "{{MODEL}} 50%d \"\"\" \\ {{EPOCHS}}\nsecond line";
    let export = block_on(pytorch::export(&graph, name)).unwrap();
    let program = text(&export, "train.py");
    let title = "\"\"\"{{MODEL}} 50％d ''' / {{EPOCHS}} second line: a Kindling graph";
    assert!(program.contains(title), "{program:.200}");
    assert_eq!(
        program.matches("class Network(nn.Module)").count(),
        1,
        "the model is filled in once, in its place"
    );
    let export = block_on(burn_project::export(&graph, name)).unwrap();
    let main = text(&export, "src/main.rs");
    let title = "//! {{MODEL}} 50%d \"\"\" \\ {{EPOCHS}} second line: a Kindling graph";
    assert!(main.starts_with(title), "{main:.200}");
}

#[test]
fn a_graph_with_dropout_is_exported_with_a_note_saying_so() {
    let digits = TEMPLATES.iter().find(|template| template.slug == "digits").expect("a digits template");
    let notes = export::notes(&(digits.build)()).unwrap();
    assert!(notes.iter().any(|note| note.text.contains("Dropout")), "{notes:?}");
    let notes = export::notes(&kindling::core::model::templates::basic_loop()).unwrap();
    assert!(notes.is_empty(), "{notes:?}");
}

#[test]
fn the_zip_holds_every_file_in_one_folder() {
    let export = block_on(pytorch::export(&kindling::core::model::templates::basic_loop(), "basic")).unwrap();
    let bytes = export.to_zip("kindling-basic-pytorch").unwrap();
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes)).expect("a zip");
    assert_eq!(archive.len(), export.files.len());
    for file in &export.files {
        let mut entry =
            archive.by_name(&format!("kindling-basic-pytorch/{}", file.path)).expect("in the zip");
        let mut content = Vec::new();
        entry.read_to_end(&mut content).unwrap();
        assert_eq!(content, file.bytes, "{}", file.path);
    }
}

#[test]
fn a_graph_that_cannot_train_cannot_be_exported_and_says_why() {
    let mut graph = kindling::core::model::templates::basic_loop();
    let network = graph.nodes_of(kindling::core::model::catalogue::NodeKind::Network).next().unwrap().id;
    graph.remove_node(network);
    let error = block_on(pytorch::export(&graph, "broken")).unwrap_err().to_string();
    assert!(error.contains("cannot train"), "{error}");
    assert!(export::notes(&graph).is_err());
}
