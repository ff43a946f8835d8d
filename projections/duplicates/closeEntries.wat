;; The inner loop of MemoryHashes.close (memoryHashes.ts): which entries of
;; the gathered blocks lie within a distance of a hash. Compiled to
;; closeEntries.wasm by `npm run wasm` (wabt); a test checks that the two agree.
;;
;; WebAssembly counts a 64-bit word's bits in one instruction (i64.popcnt),
;; where JavaScript needs a dozen operations a 32-bit half, and it checks no
;; array bounds: among 1,000,000 hashes this takes a lookup from about 15 µs
;; to 7.5 (docs/benchmarks.md).
;;
;; Memory, as memoryHashes.ts lays it out: the blocks of the lists, each
;; [next block, entry count, then per entry its hash as two 32-bit words,
;; high half first]; read as one little-endian 64-bit word, an entry is
;; high | low << 32.
(module
  (memory (export "memory") 1)
  ;; Where the first pass leaves the sum of what it read, so that no compiler drops the reads.
  (global $touched (mut i32) (i32.const 0))

  ;; Reads `pairs`: `pairCount` pairs of 32-bit words (a block's byte offset,
  ;; the quarter its list is for). Writes to `out`, for each entry whose hash
  ;; is at most `maxDistance` bits from high | low << 32, its byte offset and
  ;; its block's quarter. Returns how many it wrote.
  (func (export "closeEntries")
    (param $pairs i32) (param $pairCount i32)
    (param $high i32) (param $low i32) (param $maxDistance i32) (param $out i32)
    (result i32)
    (local $hash i64) (local $pair i32) (local $pairsEnd i32) (local $block i32)
    (local $line i32) (local $at i32) (local $end i32) (local $count i32) (local $touched i32)
    (local.set $hash (i64.or (i64.extend_i32_u (local.get $high))
                             (i64.shl (i64.extend_i32_u (local.get $low)) (i64.const 32))))
    (local.set $pairsEnd (i32.add (local.get $pairs) (i32.shl (local.get $pairCount) (i32.const 3))))

    ;; First the first word of every block, then a word of each further cache
    ;; line its entries use: reads that do not wait on each other (but for a
    ;; block's count, read first), so the processor fetches the blocks' memory
    ;; all at once instead of block after block as the checks reach them.
    (local.set $pair (local.get $pairs))
    (block $gathered
      (loop $nextBlock
        (br_if $gathered (i32.ge_u (local.get $pair) (local.get $pairsEnd)))
        (local.set $touched (i32.add (local.get $touched) (i32.load (i32.load (local.get $pair)))))
        (local.set $pair (i32.add (local.get $pair) (i32.const 8)))
        (br $nextBlock)))
    (local.set $pair (local.get $pairs))
    (block $gathered
      (loop $nextBlock
        (br_if $gathered (i32.ge_u (local.get $pair) (local.get $pairsEnd)))
        (local.set $block (i32.load (local.get $pair)))
        (local.set $end (i32.add (local.get $block) (i32.add (i32.const 8) (i32.shl (i32.load offset=4 (local.get $block)) (i32.const 3)))))
        (local.set $line (i32.add (local.get $block) (i32.const 64)))
        (block $read
          (loop $nextLine
            (br_if $read (i32.ge_u (local.get $line) (local.get $end)))
            (local.set $touched (i32.add (local.get $touched) (i32.load (local.get $line))))
            (local.set $line (i32.add (local.get $line) (i32.const 64)))
            (br $nextLine)))
        ;; The last entry's word, which may start one more line.
        (local.set $touched (i32.add (local.get $touched) (i32.load (i32.sub (local.get $end) (i32.const 4)))))
        (local.set $pair (i32.add (local.get $pair) (i32.const 8)))
        (br $nextBlock)))

    ;; Then the checks.
    (local.set $pair (local.get $pairs))
    (block $checked
      (loop $nextBlock
        (br_if $checked (i32.ge_u (local.get $pair) (local.get $pairsEnd)))
        (local.set $block (i32.load (local.get $pair)))
        (local.set $at (i32.add (local.get $block) (i32.const 8)))
        (local.set $end (i32.add (local.get $at) (i32.shl (i32.load offset=4 (local.get $block)) (i32.const 3))))
        (block $entriesDone
          (loop $nextEntry
            (br_if $entriesDone (i32.ge_u (local.get $at) (local.get $end)))
            (if (i32.le_u (i32.wrap_i64 (i64.popcnt (i64.xor (i64.load (local.get $at)) (local.get $hash))))
                          (local.get $maxDistance))
              (then
                (i32.store (local.get $out) (local.get $at))
                (i32.store offset=4 (local.get $out) (i32.load offset=4 (local.get $pair)))
                (local.set $out (i32.add (local.get $out) (i32.const 8)))
                (local.set $count (i32.add (local.get $count) (i32.const 1)))))
            (local.set $at (i32.add (local.get $at) (i32.const 8)))
            (br $nextEntry)))
        (local.set $pair (i32.add (local.get $pair) (i32.const 8)))
        (br $nextBlock)))

    (global.set $touched (local.get $touched))
    (local.get $count))
)
