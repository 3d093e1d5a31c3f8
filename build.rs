//! Links the `policy-check` binary as a position-dependent executable on Linux.
//!
//! Start-up is most of a short command's time (one fixture, one small policy), and most of
//! start-up was the dynamic loader applying ~20,000 relative relocations to a position-
//! independent executable: 477 KB of relocation records read and 340 KB of tables written,
//! ~90 page faults per run. A non-PIE binary has its addresses fixed at link time: page
//! faults per `--version` went from 231 to 138 and a one-fixture `test` from 3.6 to 2.9 ms
//! (hyperfine, see the README's benchmark table). The cost is that the binary is not
//! address-randomised (ASLR still applies to the stack, heap and libraries); for a
//! command-line checker that reads local files, we take the start-up.
//! Only binaries are affected: the library, tests and proc-macros are built as before.

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    let os = std::env::var("CARGO_CFG_TARGET_OS").unwrap_or_default();
    if os == "linux" {
        println!("cargo:rustc-link-arg-bins=-no-pie");
    }
}
