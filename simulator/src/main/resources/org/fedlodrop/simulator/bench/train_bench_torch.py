"""The jobs of `fedlodrop bench train`, written in plain PyTorch: what a user would pick instead.

Same shapes, ranks, batch sizes, sample counts and optimiser (AdamW, lr 1e-2), masked LoRA at γ = 0.3
(exact masks: a fraction γ of Â's columns and of B̂'s rows zeroed), frozen base weights, a trained
head, one thread (torch.set_num_threads(1), as fedlodrop pins ND4J to one thread per operation).
Weights are random: only the speed is compared. Reads commands on standard input, one per line, and
answers each with one JSON object on standard output: "job NAME" with the job's device-samples per
second, "mmul" with the 512³ float32 matrix-product rate. fedlodrop asks for a job's rate just before
and just after measuring its own, so that both sides are measured in the same seconds: on a shared
machine, rates measured minutes apart drifted by a third.

Run by `fedlodrop bench train --against-pytorch` with a python3 that has torch (Debian: apt-get
install python3-torch); standard library and torch only.
"""
import json
import math
import os
import sys
import time

# One thread in BLAS too: torch.set_num_threads does not reach the OpenBLAS that Debian's torch uses.
for variable in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[variable] = "1"

import torch  # noqa: E402 (after the thread settings, which it reads at import)

torch.set_num_threads(1)
torch.manual_seed(1)
GAMMA = 0.3


def mask(n, gamma):
    """A 0/1 vector keeping all but floor(gamma n) entries (exact mask)."""
    keep = torch.ones(n)
    keep[torch.randperm(n)[: int(math.floor(gamma * n))]] = 0
    return keep


class LoraLinear(torch.nn.Module):
    """y = x W0ᵀ + s (x Âᵀ) B̂ᵀ with Â = A ⊙ column mask, B̂ = B ⊙ row mask; W0 frozen."""

    def __init__(self, n_in, n_out, rank, scale, lora=True):
        super().__init__()
        self.weight = torch.nn.Parameter(torch.randn(n_out, n_in) / math.sqrt(n_in), requires_grad=False)
        self.bias = torch.nn.Parameter(torch.zeros(n_out), requires_grad=False)
        self.lora = lora
        if lora:
            self.a = torch.nn.Parameter(torch.randn(rank, n_in) / math.sqrt(n_in))
            self.b = torch.nn.Parameter(torch.zeros(n_out, rank))
            self.register_buffer("a_mask", mask(n_in, GAMMA).unsqueeze(0))
            self.register_buffer("b_mask", mask(n_out, GAMMA).unsqueeze(1))
            self.scale = scale

    def forward(self, x):
        y = torch.nn.functional.linear(x, self.weight, self.bias)
        if self.lora:
            y = y + self.scale * torch.nn.functional.linear(
                torch.nn.functional.linear(x, self.a * self.a_mask), self.b * self.b_mask)
        return y


class Mlp(torch.nn.Module):
    """fedlodrop's mlp family: frozen tanh layers, each with LoRA, then a trained linear head."""

    def __init__(self, widths, classes, rank):
        super().__init__()
        self.layers = torch.nn.ModuleList(
            LoraLinear(widths[u], widths[u + 1], rank, 16 / rank) for u in range(len(widths) - 1))
        self.head = torch.nn.Linear(widths[-1], classes)

    def forward(self, x):
        for layer in self.layers:
            x = torch.tanh(layer(x))
        return self.head(x)


class Block(torch.nn.Module):
    def __init__(self, d, heads, ff, rank, post_norm):
        super().__init__()
        s = 16 / rank
        self.q = LoraLinear(d, d, rank, s)
        self.k = LoraLinear(d, d, rank, s, lora=False)
        self.v = LoraLinear(d, d, rank, s)
        self.o = LoraLinear(d, d, rank, s, lora=False)
        self.f1 = LoraLinear(d, ff, rank, s, lora=False)
        self.f2 = LoraLinear(ff, d, rank, s, lora=False)
        self.n1 = torch.nn.LayerNorm(d, elementwise_affine=post_norm)
        self.n2 = torch.nn.LayerNorm(d, elementwise_affine=post_norm)
        for p in list(self.n1.parameters()) + list(self.n2.parameters()):
            p.requires_grad_(False)
        self.heads = heads
        self.post_norm = post_norm

    def attention(self, x, key_bias):
        n, t, d = x.shape
        h = self.heads

        def split(y):
            return y.view(n, t, h, d // h).transpose(1, 2)

        q, k, v = split(self.q(x)), split(self.k(x)), split(self.v(x))
        scores = q @ k.transpose(-1, -2) / math.sqrt(d // h) + key_bias
        context = torch.softmax(scores, dim=-1) @ v
        return self.o(context.transpose(1, 2).reshape(n, t, d))

    def forward(self, x, key_bias):
        if self.post_norm:  # BERT (bert family): GELU, norms after the residuals
            x = self.n1(x + self.attention(x, key_bias))
            return self.n2(x + self.f2(torch.nn.functional.gelu(self.f1(x))))
        x = x + self.attention(self.n1(x), key_bias)  # transformer family: pre-norm, ReLU
        return x + self.f2(torch.relu(self.f1(self.n2(x))))


class Encoder(torch.nn.Module):
    """Embeddings, blocks, mean pooling over real tokens, a trained head; LoRA on query and value."""

    def __init__(self, vocab, t, d, blocks, heads, ff, classes, rank, post_norm):
        super().__init__()
        self.words = torch.nn.Parameter(torch.randn(vocab, d) * 0.02, requires_grad=False)
        self.positions = torch.nn.Parameter(torch.randn(t, d) * 0.02, requires_grad=False)
        self.blocks = torch.nn.ModuleList(Block(d, heads, ff, rank, post_norm) for _ in range(blocks))
        self.final = None if post_norm else torch.nn.LayerNorm(d, elementwise_affine=False)
        self.head = torch.nn.Linear(d, classes)

    def forward(self, ids):
        real = (ids != 0).float()
        key_bias = ((1 - real) * -1e9)[:, None, None, :]
        x = self.words[ids] + self.positions
        for block in self.blocks:
            x = block(x, key_bias)
        if self.final is not None:
            x = self.final(x)
        pooled = (x * real.unsqueeze(-1)).sum(1) / real.sum(1, keepdim=True)
        return self.head(pooled)


def tokens(samples, t, vocab, low):
    ids = torch.zeros(samples, t, dtype=torch.long)
    for i in range(samples):
        length = t // 2 + int(torch.randint(t // 2 + 1, ()).item())
        ids[i, :length] = torch.randint(low, vocab, (length,))
    return ids


def rate(model, x, y, batch):
    """Device-samples per second of AdamW epochs over (x, y) in minibatches, after a warm-up epoch."""
    optimiser = torch.optim.AdamW([p for p in model.parameters() if p.requires_grad], lr=1e-2, weight_decay=0)

    def epoch():
        order = torch.randperm(len(y))
        for start in range(0, len(y), batch):
            index = order[start:start + batch]
            optimiser.zero_grad(set_to_none=True)
            torch.nn.functional.cross_entropy(model(x[index]), y[index]).backward()
            optimiser.step()

    epoch()
    # The best of three windows of at least a second, as fedlodrop's bench measures its own rows: other load
    # on a shared machine only slows a window down.
    best = 0
    for _ in range(3):
        epochs = 0
        start = time.perf_counter()
        while time.perf_counter() - start < 1:
            epoch()
            epochs += 1
        best = max(best, epochs * len(y) / (time.perf_counter() - start))
    return best


def job(name):
    """The model and data of one job, by the key fedlodrop's bench uses."""
    mlps = {"synthetic": ([32, 64, 64], 20, 10), "mlp128": ([128] * 4, 256, 32), "mlp512": ([512] * 4, 256, 64)}
    # (vocabulary, tokens, width, blocks, heads, ff, rank, samples, batch, post-norm, lowest id)
    encoders = {"text": (89, 16, 32, 2, 4, 64, 4, 20, 10, False, 1),
                "transformer512": (1000, 64, 512, 2, 8, 2048, 8, 32, 16, False, 1),
                "minilm": (30522, 64, 384, 6, 12, 1536, 8, 32, 16, True, 1000),
                "minilm128": (30522, 128, 384, 6, 12, 1536, 8, 32, 8, True, 1000)}
    if name in mlps:
        widths, samples, batch = mlps[name]
        return Mlp(widths, 4, 8), torch.randn(samples, widths[0]), torch.randint(4, (samples,)), batch
    vocab, t, d, blocks, heads, ff, rank, samples, batch, post, low = encoders[name]
    model = Encoder(vocab, t, d, blocks, heads, ff, 2, rank, post)
    return model, tokens(samples, t, vocab, low), torch.randint(2, (samples,)), batch


def mmul_gflops():
    a, b = torch.rand(512, 512), torch.rand(512, 512)
    a @ b
    best = 0  # the best of three windows of a second, as fedlodrop measures ND4J's product
    for _ in range(3):
        products = 0
        start = time.perf_counter()
        while time.perf_counter() - start < 1:
            a @ b
            products += 1
        best = max(best, 2 * 512 ** 3 * products / (time.perf_counter() - start) / 1e9)
    return best


def main():
    built = {}
    for line in sys.stdin:
        command = line.split()
        if command[:1] == ["job"] and len(command) == 2:
            name = command[1]
            if name not in built:
                built[name] = job(name)
            model, x, y, batch = built[name]
            print(json.dumps({"job": name, "samples_per_s": rate(model, x, y, batch)}), flush=True)
        elif command == ["mmul"]:
            print(json.dumps({"mmul_gflops": mmul_gflops(), "torch": torch.__version__}), flush=True)
        elif command:
            print(json.dumps({"error": "unknown command: " + line.strip()}), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
