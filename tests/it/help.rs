//! The clap tree is consistent and the help texts teach.

use clap::CommandFactory;

use crate::common::run;

#[test]
fn clap_tree_is_consistent() {
    isctl::cli::Cli::command().debug_assert();
}

#[test]
fn get_help() {
    insta::assert_snapshot!(run(&["get", "--help"]));
}

#[test]
fn top_level_help() {
    insta::assert_snapshot!(run(&["--help"]));
}

#[test]
fn mirrors_help() {
    insta::assert_snapshot!(run(&["mirrors", "--help"]));
}

#[test]
fn resolve_help() {
    insta::assert_snapshot!(run(&["resolve", "--help"]));
}

#[test]
fn serve_help() {
    insta::assert_snapshot!(run(&["serve", "--help"]));
}
