//! Reading a binary snapshot's lists block by block (docs/events.md, "Binary snapshots").
//!
//! Each list of the state is written in blocks of about a megabyte, each ending at an item's
//! end and summed by its own CRC-32. A [`Blocks`] reader reads one block at a time into a
//! buffer it keeps, checks the block's CRC and decodes its items: memory beyond the state
//! being built is one block, not a whole list. The largest list (the pledges) is read by two
//! threads at once into its one final list ([`Shared`]): one takes blocks from the front,
//! the other from the back once it has read everything else, and each writes its items
//! straight into their places, so the list is neither grown nor copied.

use std::fs::File;
use std::io::{Read, Seek, SeekFrom};
use std::mem::MaybeUninit;
use std::sync::Mutex;

use crate::model::binary::{Binary, BinaryError, Reader, Texts, binary_struct};

/// Why a snapshot was not used (English; the caller reports it and replays the journal).
pub(crate) type Skip = String;

/// Where a block lies in the file, the items it holds and its CRC-32.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Block {
    pub offset: u64,
    pub len: u64,
    pub items: u64,
    pub crc: u32,
}

binary_struct!(Block {
    offset,
    len,
    items,
    crc
});

/// A list's blocks, with the list's name for messages.
#[derive(Debug, Clone, Copy)]
pub(crate) struct List<'a> {
    pub name: &'static str,
    pub blocks: &'a [Block],
}

impl List<'_> {
    /// Its items in all: the footer's counts, which its CRC vouches for, and each block at
    /// most an item a byte (every item takes one byte at least), so a count never asks for
    /// more memory than the file could fill.
    pub fn items(&self) -> Result<usize, Skip> {
        let mut n = 0_u64;
        for (k, b) in self.blocks.iter().enumerate() {
            if b.items == 0 || b.items > b.len {
                return Err(format!(
                    "its list {}, block {} of {}, claims {} items in {} bytes",
                    self.name,
                    k + 1,
                    self.blocks.len(),
                    b.items,
                    b.len
                ));
            }
            n += b.items;
        }
        usize::try_from(n).map_err(|_| format!("its list {} claims {n} items", self.name))
    }

    /// Block `k`'s place in messages.
    fn at(&self, k: usize) -> String {
        format!(
            "its list {}, block {} of {},",
            self.name,
            k + 1,
            self.blocks.len()
        )
    }
}

/// A list made ready for `n` items, sized once; a count that asks for more memory than
/// there is fails here instead of aborting the process.
pub(crate) fn room<T>(name: &str, n: usize) -> Result<Vec<T>, Skip> {
    let mut out = Vec::new();
    out.try_reserve_exact(n)
        .map_err(|e| format!("its list {name}: cannot make room for {n} items: {e}"))?;
    Ok(out)
}

/// Reads blocks from a snapshot file into a buffer it keeps, sharing the texts that repeat
/// from one block to the next.
pub(crate) struct Blocks {
    file: File,
    buf: Vec<u8>,
    texts: Texts,
}

impl Blocks {
    pub fn new(file: File) -> Blocks {
        Blocks {
            file,
            buf: Vec::new(),
            texts: Texts::default(),
        }
    }

    /// Block `k` of `list`'s bytes, checked against its CRC.
    fn bytes(&mut self, list: &List<'_>, k: usize) -> Result<&[u8], Skip> {
        let b = &list.blocks[k];
        let len = usize::try_from(b.len).map_err(|_| format!("{} too long", list.at(k)))?;
        if self.buf.len() < len {
            self.buf
                .try_reserve_exact(len - self.buf.len())
                .map_err(|e| format!("{} cannot be read: {e}", list.at(k)))?;
            self.buf.resize(len, 0);
        }
        let bytes = &mut self.buf[..len];
        self.file
            .seek(SeekFrom::Start(b.offset))
            .and_then(|_| self.file.read_exact(bytes))
            .map_err(|e| format!("{} cannot be read: {e}", list.at(k)))?;
        if crc32fast::hash(bytes) != b.crc {
            return Err(format!("{} does not match its checksum", list.at(k)));
        }
        Ok(bytes)
    }

    /// Block `k` of `list`, each item read through its constructor and given to `put`.
    fn block<T: Binary>(
        &mut self,
        list: &List<'_>,
        k: usize,
        mut put: impl FnMut(T),
    ) -> Result<(), Skip> {
        let items = list.blocks[k].items;
        let texts = std::mem::take(&mut self.texts);
        let bytes = self.bytes(list, k)?;
        let mut r = Reader::keeping(bytes, texts);
        let bad = |e: BinaryError| format!("{} is unreadable {e}", list.at(k));
        for _ in 0..items {
            put(T::get(&mut r).map_err(bad)?);
        }
        if !r.is_done() {
            return Err(bad(r.error("bytes left after the last item")));
        }
        self.texts = r.into_texts();
        Ok(())
    }

    /// Every item of `list`, in order, into a list sized once.
    pub fn list<T: Binary>(&mut self, list: List<'_>) -> Result<Vec<T>, Skip> {
        let mut out = room(list.name, list.items()?)?;
        for k in 0..list.blocks.len() {
            self.block(&list, k, |item| out.push(item))?;
        }
        Ok(out)
    }
}

/// One block's places in the final list, and how many of them hold an item.
struct Slot<'a, T> {
    k: usize,
    places: &'a mut [MaybeUninit<T>],
    written: usize,
}

impl<T> Slot<'_, T> {
    /// Reads the slot's block into its places.
    fn fill(&mut self, blocks: &mut Blocks, list: &List<'_>) -> Result<(), Skip>
    where
        T: Binary,
    {
        let Slot { k, places, written } = self;
        blocks.block(list, *k, |item: T| {
            // `block` gives exactly the block's count of items, and the slot has as many
            // places: `List::items` summed the same counts.
            places[*written].write(item);
            *written += 1;
        })
    }

    /// Drops the items written (a read that failed).
    fn clear(&mut self) {
        for place in &mut self.places[..self.written] {
            // SAFETY: the first `written` places were written by `fill` and nothing has
            // moved out of them; `written` is reset so they are dropped once.
            unsafe { place.assume_init_drop() };
        }
        self.written = 0;
    }
}

/// Which end of the list a reader takes its blocks from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum End {
    Front,
    Back,
}

/// What the readers of a shared list share: the blocks not yet taken, those read, and a
/// failure (the earliest in the list's order of those met: the readers stop at the first,
/// after the blocks they are reading).
struct Work<'a, T> {
    pending: std::collections::VecDeque<Slot<'a, T>>,
    done: Vec<Slot<'a, T>>,
    failed: Option<(usize, Skip)>,
}

/// A list read by several threads at once, straight into the list's final places.
pub(crate) struct Shared<'a, T> {
    list: List<'a>,
    work: Mutex<Work<'a, T>>,
}

impl<'a, T: Binary> Shared<'a, T> {
    /// The blocks of `list`, each given its places in `out`'s spare room, which must hold
    /// every item ([`List::items`]).
    pub fn new(list: List<'a>, out: &'a mut Vec<T>) -> Result<Shared<'a, T>, Skip> {
        let n = list.items()?;
        assert!(out.is_empty() && out.capacity() >= n, "room for the list");
        let mut spare = &mut out.spare_capacity_mut()[..n];
        let mut pending = std::collections::VecDeque::with_capacity(list.blocks.len());
        for (k, b) in list.blocks.iter().enumerate() {
            // `items` checked that the counts sum to `n`, each fitting in `usize`.
            let (places, rest) = spare.split_at_mut(b.items as usize);
            pending.push_back(Slot {
                k,
                places,
                written: 0,
            });
            spare = rest;
        }
        assert!(spare.is_empty(), "the blocks cover the list");
        Ok(Shared {
            list,
            work: Mutex::new(Work {
                pending,
                done: Vec::new(),
                failed: None,
            }),
        })
    }

    /// Reads blocks from `end` until none is left or one has failed.
    pub fn read(&self, blocks: &mut Blocks, end: End) {
        while let Some(mut slot) = self.take(end) {
            let result = slot.fill(blocks, &self.list);
            let Ok(mut work) = self.work.lock() else {
                return;
            };
            if let Err(why) = result
                && work.failed.as_ref().is_none_or(|(k, _)| slot.k < *k)
            {
                work.failed = Some((slot.k, why));
            }
            work.done.push(slot);
        }
    }

    /// Stops the readers after the blocks they are reading: the list is not wanted.
    fn abandon(&self) {
        if let Ok(mut work) = self.work.lock() {
            work.failed
                .get_or_insert((usize::MAX, "its reading was abandoned".into()));
        }
    }

    fn take(&self, end: End) -> Option<Slot<'a, T>> {
        let mut work = self.work.lock().ok()?;
        if work.failed.is_some() {
            return None;
        }
        match end {
            End::Front => work.pending.pop_front(),
            End::Back => work.pending.pop_back(),
        }
    }

    /// Whether every block was read into its places; if not, why (the earliest failure met),
    /// every item read dropped.
    pub fn finish(self) -> Result<(), Skip> {
        let mut work = self
            .work
            .into_inner()
            .map_err(|_| format!("reading its list {} failed", self.list.name))?;
        let whole = work.failed.is_none()
            && work.pending.is_empty()
            && work.done.len() == self.list.blocks.len()
            && work.done.iter().all(|s| s.written == s.places.len());
        if whole {
            return Ok(());
        }
        for slot in &mut work.done {
            slot.clear();
        }
        Err(match work.failed {
            Some((_, why)) => why,
            None => format!("reading its list {} failed", self.list.name),
        })
    }
}

/// `list` read into one list by `front` on a second thread and by `back` on this one (which
/// runs `first` before it joins in), each reader taking blocks from its end.
pub(crate) fn read_shared<T: Binary + Send, R>(
    list: List<'_>,
    mut front: Blocks,
    mut back: Blocks,
    first: impl FnOnce(&mut Blocks) -> Result<R, Skip>,
) -> Result<(Vec<T>, R), Skip> {
    let n = list.items()?;
    let mut out: Vec<T> = room(list.name, n)?;
    let shared = Shared::new(list, &mut out)?;
    let before = std::thread::scope(|s| {
        let helper = s.spawn(|| shared.read(&mut front, End::Front));
        let before = first(&mut back);
        match &before {
            Ok(_) => shared.read(&mut back, End::Back),
            Err(_) => shared.abandon(),
        }
        let joined = helper.join();
        before.and_then(|r| {
            joined
                .map(|()| r)
                .map_err(|_| "a reader failed".to_string())
        })
    });
    let finished = shared.finish();
    if finished.is_ok() {
        // SAFETY: `finish` found every block read: the blocks' places partition the first
        // `n` places of `out`'s spare room (`Shared::new`), and each place was written once.
        unsafe { out.set_len(n) };
    }
    // A failure before the shared list is the one to tell (the list was then abandoned).
    let before = before?;
    finished?;
    Ok((out, before))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `items` strings written to a file of their own in blocks of `per` items; the file's
    /// path and the blocks.
    fn file_of(name: &str, items: &[String], per: usize) -> (std::path::PathBuf, Vec<Block>) {
        let path =
            std::env::temp_dir().join(format!("cz-blocks-{name}-{}.bin", std::process::id()));
        let (mut bytes, mut blocks) = (Vec::new(), Vec::new());
        for chunk in items.chunks(per) {
            let offset = bytes.len();
            for s in chunk {
                s.put(&mut bytes);
            }
            blocks.push(Block {
                offset: offset as u64,
                len: (bytes.len() - offset) as u64,
                items: chunk.len() as u64,
                crc: crc32fast::hash(&bytes[offset..]),
            });
        }
        std::fs::write(&path, bytes).expect("written");
        (path, blocks)
    }

    fn strings(n: usize) -> Vec<String> {
        (0..n)
            .map(|i| format!("item {i} {}", "x".repeat(i % 7)))
            .collect()
    }

    fn blocks(path: &std::path::Path) -> Blocks {
        Blocks::new(File::open(path).expect("opened"))
    }

    /// Read from the front only, the back only, or both at once, the list is the same.
    #[test]
    fn every_way_of_sharing_gives_the_list_in_order() {
        let items = strings(1000);
        let (path, list_blocks) = file_of("order", &items, 37);
        let list = List {
            name: "test",
            blocks: &list_blocks,
        };
        for end in [End::Front, End::Back] {
            let mut out: Vec<String> = room(list.name, 1000).expect("room");
            let shared = Shared::new(list, &mut out).expect("shared");
            shared.read(&mut blocks(&path), end);
            shared.finish().expect("read whole");
            // SAFETY: `finish` found every place written.
            unsafe { out.set_len(1000) };
            assert_eq!(out, items);
        }
        let (out, ()) = read_shared::<String, ()>(list, blocks(&path), blocks(&path), |_| Ok(()))
            .expect("both");
        assert_eq!(out, items);
        assert_eq!(
            blocks(&path).list::<String>(list).expect("one reader"),
            items
        );
        let _ = std::fs::remove_file(&path);
    }

    /// A block that fails its checksum: the list is not read, and the failure named is the
    /// first in the list's order; the items read before are dropped (a leak or a double drop
    /// shows under valgrind and the sanitizers).
    #[test]
    fn a_bad_block_fails_the_list() {
        let items = strings(1000);
        let (path, mut list_blocks) = file_of("bad", &items, 37);
        list_blocks[5].crc ^= 1;
        list_blocks[20].crc ^= 1;
        let list = List {
            name: "test",
            blocks: &list_blocks,
        };
        let failed = read_shared::<String, ()>(list, blocks(&path), blocks(&path), |_| Ok(()));
        let why = failed.expect_err("a bad block");
        assert!(
            why.contains("block 6 of 28") || why.contains("block 21 of 28"),
            "{why}"
        );
        for end in [End::Front, End::Back] {
            let mut out: Vec<String> = room(list.name, 1000).expect("room");
            let shared = Shared::new(list, &mut out).expect("shared");
            shared.read(&mut blocks(&path), end);
            let why = shared.finish().expect_err("a bad block");
            let first = if end == End::Front {
                "block 6 of 28"
            } else {
                "block 21 of 28"
            };
            assert!(why.contains(first), "{why}");
            assert!(out.is_empty());
        }
        // What comes before the list fails: that failure is told, the list abandoned.
        let failed = read_shared::<String, ()>(list, blocks(&path), blocks(&path), |_| {
            Err("the registry is bad".into())
        });
        assert_eq!(failed.expect_err("failed before"), "the registry is bad");
        let _ = std::fs::remove_file(&path);
    }

    /// A block whose count of items exceeds its bytes is refused before any room is made.
    #[test]
    fn counts_beyond_the_bytes_are_refused() {
        let blocks = [Block {
            offset: 0,
            len: 10,
            items: 11,
            crc: 0,
        }];
        let list = List {
            name: "test",
            blocks: &blocks,
        };
        let why = list.items().expect_err("too many");
        assert!(why.contains("claims 11 items in 10 bytes"), "{why}");
    }
}
