#!/usr/bin/env python3
"""Generate test/fixtures/tiny-clip: a tiny, randomly initialised CLIP model for tests.

The model is a real `transformers.CLIPModel` (ViT patch embedding + pre-LN
transformer encoder + projection for images; BPE token embedding + causal
transformer encoder + projection for text), only very small, with random
weights from a fixed seed. It is exported to ONNX in the layout that
transformers.js v3 expects for CLIP (the same layout as the Xenova/clip-* repos):

    config.json                     CLIPConfig (model_type "clip")
    preprocessor_config.json        CLIPImageProcessor, size/crop = image_size
    tokenizer.json                  CLIP-style byte-level BPE (tokenizers format)
    tokenizer_config.json           tokenizer_class CLIPTokenizer, model_max_length 77
    special_tokens_map.json
    vocab.json, merges.txt          the same BPE in the slow-tokenizer format
    onnx/vision_model.onnx          pixel_values -> image_embeds, last_hidden_state   (fp32)
    onnx/text_model.onnx            input_ids    -> text_embeds,  last_hidden_state   (fp32)
    onnx/vision_model_quantized.onnx, onnx/text_model_quantized.onnx                  (dtype 'q8')
    reference.json                  PyTorch outputs for a few fixed inputs (for the JS test)

No file is downloaded: the tokenizer's merges are learned here from the few
lines of CORPUS below, with CLIP's own pre-tokenisation rules.

The embeddings mean nothing. The fixture exists to exercise the real loading and
inference code path (tokenizer, image processor, ONNX sessions) deterministically.

Requirements (keep them outside the repository, e.g. in /tmp/tinyclip-venv):
    python3 -m venv /tmp/tinyclip-venv
    /tmp/tinyclip-venv/bin/pip install torch==2.5.1 transformers==4.46.3 \
        tokenizers==0.20.3 onnx==1.23.2 onnxruntime==1.32.0 pillow numpy==2.0.2
(PyPI's Linux torch wheel pulls the nvidia-* CUDA packages, ~5 GB installed;
it runs on CPU only here.)

Usage:
    /tmp/tinyclip-venv/bin/python scripts/make-tiny-clip.py [OUT_DIR]
OUT_DIR defaults to test/fixtures/tiny-clip beside this script's repository.
The script rewrites the generated files in OUT_DIR (README.md is left alone).
"""

from __future__ import annotations

import collections
import json
import os
import random
import shutil
import sys
import tempfile
from pathlib import Path

import numpy as np
import regex
import torch

from transformers import (
    CLIPConfig,
    CLIPImageProcessor,
    CLIPModel,
    CLIPTextModelWithProjection,
    CLIPTokenizer,
    CLIPTokenizerFast,
    CLIPVisionModelWithProjection,
)
from transformers.models.clip.tokenization_clip import bytes_to_unicode

SEED = 0

# ---- model size -----------------------------------------------------------------
IMAGE_SIZE = 32          # preprocessor resizes the shortest edge to this, then centre-crops
PATCH_SIZE = 8           # -> (32/8)^2 = 16 patches + 1 class token
HIDDEN = 32              # vision and text hidden size
INTERMEDIATE = 64
LAYERS = 2
HEADS = 2
PROJECTION_DIM = 16      # != HIDDEN on purpose, so an embedding cannot be confused with a hidden state
MAX_POSITIONS = 77       # CLIP's context length
NUM_MERGES = 400         # BPE merges learned from CORPUS (at most)
OPSET = 14

BOS = "<|startoftext|>"
EOS = "<|endoftext|>"

# A few lines of text to learn BPE merges from (any text works; these are captions
# of the kind a media lake would be searched with).
CORPUS = """
a photo of a cat sitting on a sofa
a photo of a dog running on the beach
a photograph of a mountain landscape at sunset
a black and white photo of a city street at night
a close-up photo of a flower in the garden
a picture of people walking in the park
an aerial photo of a river and a forest
a portrait of a woman smiling in the sun
a portrait of a man wearing a hat
a red car parked in front of a house
a blue boat on the lake under a cloudy sky
children playing football on a green field
a plate of food on a wooden table
a bird flying over the sea
snow on the trees in winter
the skyline of a large city with tall buildings
a camera on a tripod in the studio
a screenshot of a document with text
a diagram of a machine with labels
a video still of a concert with bright lights
an old photograph scanned from a printed album
a sunny day at the beach with blue water and white sand
the quick brown fox jumps over the lazy dog
photos taken with canon nikon fujifilm kodak olympus and sony cameras
exif metadata: date, time, gps latitude and longitude, exposure, iso 100 200 400 800
""".strip()

# CLIP's pre-tokenisation pattern (same as transformers' CLIPConverter / the original repo).
PAT = regex.compile(r"""'s|'t|'re|'ve|'m|'ll|'d|[\p{L}]+|[\p{N}]|[^\s\p{L}\p{N}]+""", regex.IGNORECASE)


def learn_bpe(text: str, num_merges: int):
    """Learn CLIP-style BPE merges: lowercase, CLIP regex, byte-to-unicode, '</w>' on the last symbol."""
    b2u = bytes_to_unicode()
    words = collections.Counter()
    for token in PAT.findall(" ".join(text.lower().split())):
        chars = [b2u[b] for b in token.encode("utf-8")]
        words[tuple(chars[:-1]) + (chars[-1] + "</w>",)] += 1

    merges: list[tuple[str, str]] = []
    for _ in range(num_merges):
        pairs = collections.Counter()
        for word, freq in words.items():
            for a, b in zip(word, word[1:]):
                pairs[(a, b)] += freq
        if not pairs:
            break
        # most frequent pair; ties broken lexicographically, so the result is deterministic
        best = min(pairs.items(), key=lambda kv: (-kv[1], kv[0]))
        if best[1] < 2:
            break
        (a, b) = best[0]
        merges.append((a, b))
        merged = {}
        for word, freq in words.items():
            out, i = [], 0
            while i < len(word):
                if i < len(word) - 1 and word[i] == a and word[i + 1] == b:
                    out.append(a + b)
                    i += 2
                else:
                    out.append(word[i])
                    i += 1
            merged[tuple(out)] = merged.get(tuple(out), 0) + freq
        words = collections.Counter(merged)

    # Vocabulary in CLIP's order: 256 byte symbols, the same with '</w>', merges, then specials.
    base = list(b2u.values())
    vocab_list = base + [v + "</w>" for v in base]
    for a, b in merges:
        if a + b not in vocab_list:
            vocab_list.append(a + b)
    vocab_list += [BOS, EOS]
    vocab = {tok: i for i, tok in enumerate(vocab_list)}
    return vocab, merges


def build_tokenizer(work: Path) -> CLIPTokenizerFast:
    vocab, merges = learn_bpe(CORPUS, NUM_MERGES)
    (work / "vocab.json").write_text(json.dumps(vocab, ensure_ascii=False), encoding="utf-8")
    (work / "merges.txt").write_text(
        "#version: 0.2\n" + "".join(f"{a} {b}\n" for a, b in merges), encoding="utf-8"
    )
    options = dict(
        vocab_file=str(work / "vocab.json"),
        merges_file=str(work / "merges.txt"),
        bos_token=BOS,
        eos_token=EOS,
        unk_token=EOS,
        pad_token=EOS,
        model_max_length=MAX_POSITIONS,
    )
    slow = CLIPTokenizer(**options)
    # CLIPTokenizerFast.from slow -> transformers' CLIPConverter builds the tokenizer.json
    fast = CLIPTokenizerFast(**options)
    sample = "A photo of a cat, taken in 2024!"
    assert slow(sample).input_ids == fast(sample).input_ids, "slow and fast tokenizers disagree"
    return fast


def export(model: torch.nn.Module, args, path: Path, input_names, output_names, dynamic_axes):
    torch.onnx.export(
        model,
        args,
        str(path),
        input_names=input_names,
        output_names=output_names,
        dynamic_axes=dynamic_axes,
        opset_version=OPSET,
        do_constant_folding=True,
        dynamo=False,
    )


class VisionWrapper(torch.nn.Module):
    def __init__(self, m: CLIPVisionModelWithProjection):
        super().__init__()
        self.m = m

    def forward(self, pixel_values):
        out = self.m(pixel_values=pixel_values, return_dict=True)
        return out.image_embeds, out.last_hidden_state


class TextWrapper(torch.nn.Module):
    def __init__(self, m: CLIPTextModelWithProjection):
        super().__init__()
        self.m = m

    def forward(self, input_ids):
        out = self.m(input_ids=input_ids, return_dict=True)
        return out.text_embeds, out.last_hidden_state


def main() -> None:
    repo = Path(__file__).resolve().parent.parent
    out = Path(sys.argv[1]) if len(sys.argv) > 1 else repo / "test" / "fixtures" / "tiny-clip"
    out.mkdir(parents=True, exist_ok=True)
    (out / "onnx").mkdir(exist_ok=True)

    random.seed(SEED)
    np.random.seed(SEED)
    torch.manual_seed(SEED)
    torch.use_deterministic_algorithms(True)

    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        tokenizer = build_tokenizer(tmp)
        vocab_size = len(tokenizer)
        bos_id = tokenizer.convert_tokens_to_ids(BOS)
        eos_id = tokenizer.convert_tokens_to_ids(EOS)

        config = CLIPConfig(
            text_config=dict(
                vocab_size=vocab_size,
                hidden_size=HIDDEN,
                intermediate_size=INTERMEDIATE,
                num_hidden_layers=LAYERS,
                num_attention_heads=HEADS,
                max_position_embeddings=MAX_POSITIONS,
                hidden_act="quick_gelu",
                projection_dim=PROJECTION_DIM,
                bos_token_id=bos_id,
                eos_token_id=eos_id,
                pad_token_id=eos_id,
            ),
            vision_config=dict(
                image_size=IMAGE_SIZE,
                patch_size=PATCH_SIZE,
                num_channels=3,
                hidden_size=HIDDEN,
                intermediate_size=INTERMEDIATE,
                num_hidden_layers=LAYERS,
                num_attention_heads=HEADS,
                hidden_act="quick_gelu",
                projection_dim=PROJECTION_DIM,
            ),
            projection_dim=PROJECTION_DIM,
        )
        config._attn_implementation = "eager"

        torch.manual_seed(SEED)
        model = CLIPModel(config).eval()
        model.save_pretrained(tmp / "clip", safe_serialization=True)

        # Same weights, loaded into the *WithProjection heads (what the Xenova exports use).
        vision = CLIPVisionModelWithProjection.from_pretrained(tmp / "clip", attn_implementation="eager").eval()
        text = CLIPTextModelWithProjection.from_pretrained(tmp / "clip", attn_implementation="eager").eval()

        image_processor = CLIPImageProcessor(
            do_resize=True,
            size={"shortest_edge": IMAGE_SIZE},
            resample=3,  # bicubic, like openai/clip-vit-base-patch32
            do_center_crop=True,
            crop_size={"height": IMAGE_SIZE, "width": IMAGE_SIZE},
            do_rescale=True,
            rescale_factor=1 / 255,
            do_normalize=True,
            image_mean=[0.48145466, 0.4578275, 0.40821073],
            image_std=[0.26862954, 0.26130258, 0.27577711],
            do_convert_rgb=True,
        )

        # ---- write the non-ONNX files ------------------------------------------
        for name in ("config.json", "preprocessor_config.json", "tokenizer.json", "tokenizer_config.json",
                     "special_tokens_map.json", "vocab.json", "merges.txt"):
            (out / name).unlink(missing_ok=True)
        config.save_pretrained(out)
        image_processor.save_pretrained(out)
        tokenizer.save_pretrained(out)
        (out / "added_tokens.json").unlink(missing_ok=True)  # not needed: specials are in tokenizer.json

        # Drop fields that vary between runs/installs, so regenerating is byte-for-byte stable.
        cfg = json.loads((out / "config.json").read_text())
        cfg.pop("_name_or_path", None)
        (out / "config.json").write_text(json.dumps(cfg, indent=2, sort_keys=True) + "\n")

        # ---- ONNX export --------------------------------------------------------
        pixel_values = torch.randn(2, 3, IMAGE_SIZE, IMAGE_SIZE)
        input_ids = torch.tensor(tokenizer(["a photo of a cat", "a dog"], padding=True).input_ids, dtype=torch.int64)

        vision_path = out / "onnx" / "vision_model.onnx"
        text_path = out / "onnx" / "text_model.onnx"
        with torch.no_grad():
            export(VisionWrapper(vision), (pixel_values,), vision_path,
                   ["pixel_values"], ["image_embeds", "last_hidden_state"],
                   {"pixel_values": {0: "batch_size"},
                    "image_embeds": {0: "batch_size"},
                    "last_hidden_state": {0: "batch_size"}})
            export(TextWrapper(text), (input_ids,), text_path,
                   ["input_ids"], ["text_embeds", "last_hidden_state"],
                   {"input_ids": {0: "batch_size", 1: "sequence_length"},
                    "text_embeds": {0: "batch_size"},
                    "last_hidden_state": {0: "batch_size", 1: "sequence_length"}})

        # 8-bit dynamic quantisation: the '_quantized' files transformers.js loads for dtype 'q8'.
        from onnxruntime.quantization import QuantType, quantize_dynamic
        for p in (vision_path, text_path):
            quantize_dynamic(str(p), str(p.with_name(p.stem + "_quantized.onnx")), weight_type=QuantType.QUInt8)

        # ---- check the ONNX graphs against PyTorch --------------------------------
        import onnxruntime as ort

        def run(path, feeds):
            sess = ort.InferenceSession(str(path), providers=["CPUExecutionProvider"])
            return sess.run(None, feeds)

        with torch.no_grad():
            for batch in (1, 3):
                pv = torch.randn(batch, 3, IMAGE_SIZE, IMAGE_SIZE)
                ref = vision(pixel_values=pv).image_embeds.numpy()
                got = run(vision_path, {"pixel_values": pv.numpy()})[0]
                assert got.shape == (batch, PROJECTION_DIM), got.shape
                assert np.allclose(ref, got, atol=1e-5), np.abs(ref - got).max()
            for texts in (["a photo"], ["a red car parked in front of a house", "x", "the sea at night"]):
                ids = torch.tensor(tokenizer(texts, padding=True).input_ids, dtype=torch.int64)
                ref = text(input_ids=ids).text_embeds.numpy()
                got = run(text_path, {"input_ids": ids.numpy()})[0]
                assert got.shape == (len(texts), PROJECTION_DIM), got.shape
                assert np.allclose(ref, got, atol=1e-5), np.abs(ref - got).max()
                # and against the full CLIPModel
                full = model.get_text_features(input_ids=ids).numpy()
                assert np.allclose(full, got, atol=1e-5)

        # ---- reference outputs (PyTorch) for the JS test to compare against ----------
        # Pixel values are a fixed synthetic pattern (so the check does not depend on the
        # JPEG decoder/resizer); texts go through the tokenizer as well.
        n = 3 * IMAGE_SIZE * IMAGE_SIZE
        synthetic = torch.tensor([((i * 7919) % 1000) / 500.0 - 1.0 for i in range(n)],
                                 dtype=torch.float32).reshape(1, 3, IMAGE_SIZE, IMAGE_SIZE)
        ref_texts = ["a photo of a cat", "a red car parked in front of a house"]
        with torch.no_grad():
            ref_image = vision(pixel_values=synthetic).image_embeds[0]
            ref_text = [text(input_ids=torch.tensor([tokenizer(t).input_ids])).text_embeds[0] for t in ref_texts]
        reference = {
            "note": "Outputs of the PyTorch model this fixture was exported from (unnormalised embeddings).",
            "synthetic_pixel_values": "pixel_values[i] = ((i * 7919) % 1000) / 500 - 1 for i in 0..3*H*W-1, shape [1, 3, H, W]",
            "image_embeds": [round(float(x), 6) for x in ref_image],
            "texts": [
                {"text": t, "input_ids": tokenizer(t).input_ids, "text_embeds": [round(float(x), 6) for x in e]}
                for t, e in zip(ref_texts, ref_text)
            ],
        }
        (out / "reference.json").write_text(json.dumps(reference, indent=1) + "\n")

    total = sum(f.stat().st_size for f in out.rglob("*") if f.is_file())
    print(f"wrote {out} ({total / 1024:.1f} KiB); vocab_size={vocab_size} bos={bos_id} eos={eos_id}")
    for f in sorted(out.rglob("*")):
        if f.is_file():
            print(f"  {f.relative_to(out)}  {f.stat().st_size}")


if __name__ == "__main__":
    main()
