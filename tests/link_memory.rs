//! A decompression bomb is refused within a fixed memory bound. Its own test binary: the
//! counting allocator sees only this test.
#![cfg(not(target_arch = "wasm32"))]

use std::alloc::{GlobalAlloc, Layout, System};
use std::io::Write;
use std::sync::atomic::{AtomicUsize, Ordering};

use base64::Engine;
use kindling::core::document::experiment::ReadError;
use kindling::core::document::link;

/// The system allocator, counting the bytes live and the most ever live.
struct Counting;

static LIVE: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let live = LIVE.fetch_add(layout.size(), Ordering::SeqCst) + layout.size();
        PEAK.fetch_max(live, Ordering::SeqCst);
        unsafe { System.alloc(layout) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        LIVE.fetch_sub(layout.size(), Ordering::SeqCst);
        unsafe { System.dealloc(ptr, layout) }
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

#[test]
fn a_bomb_expanding_to_a_gigabyte_is_refused_within_6_mib() {
    // 1 GiB of zeros deflates to about 1 MiB; written in pieces so the test itself stays small.
    let mut deflate = flate2::write::DeflateEncoder::new(vec![link::VERSION], flate2::Compression::best());
    let zeros = vec![0u8; 1 << 20];
    for _ in 0..1024 {
        deflate.write_all(&zeros).unwrap();
    }
    drop(zeros);
    let text = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(deflate.finish().unwrap());
    assert!(text.len() <= link::MAX_TEXT_CHARS, "the bomb fits in a link: {} characters", text.len());

    let before = LIVE.load(Ordering::SeqCst);
    PEAK.store(before, Ordering::SeqCst);
    let result = link::decode(&text);
    let peak = PEAK.load(Ordering::SeqCst) - before;
    println!("bomb of {} characters: decoding peaked at {} KiB", text.len(), peak / 1024);
    assert_eq!(result, Err(ReadError::TooLarge(link::MAX_EXPANDED_BYTES)));
    // The base64-decoded input (1 MiB here) plus at most twice the expansion cap.
    assert!(peak < 6 * 1024 * 1024, "decoding used {peak} bytes");
}
