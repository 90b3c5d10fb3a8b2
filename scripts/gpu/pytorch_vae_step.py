#!/usr/bin/env python3
"""The PyTorch reference for one VaeGpu training step: the pytorch/examples vae/main.py model (784-400-20, ReLU,
Bernoulli decoder with the summed binary cross-entropy plus the analytic KL, Adam lr 1e-3), batch 128.

It times one training step (zero_grad, forward, loss, backward, Adam) eagerly and, on CUDA, replayed from a CUDA
graph (static input tensor, warm-up on a side stream, Adam(capturable=True)); each figure is the median of --repeats
steps after --warmup untimed ones, timed by CUDA events around each step (by the wall clock on a CPU). It prints one
JSON object. The batch is random pixels in [0, 1), or the first 128 images of --data DIR's
train-images-idx3-ubyte[.gz]; nothing is downloaded.

    python3 pytorch_vae_step.py [--device cuda|cpu] [--repeats 500] [--warmup 50] [--data DIR]
"""
import argparse, gzip, json, os, statistics, sys, time

import torch
from torch import nn, optim
from torch.nn import functional as F


class VAE(nn.Module):  # as in pytorch/examples vae/main.py
    def __init__(self):
        super().__init__()
        self.fc1 = nn.Linear(784, 400)
        self.fc21 = nn.Linear(400, 20)
        self.fc22 = nn.Linear(400, 20)
        self.fc3 = nn.Linear(20, 400)
        self.fc4 = nn.Linear(400, 784)

    def encode(self, x):
        h1 = F.relu(self.fc1(x))
        return self.fc21(h1), self.fc22(h1)

    def reparameterize(self, mu, logvar):
        std = torch.exp(0.5 * logvar)
        eps = torch.randn_like(std)
        return mu + eps * std

    def decode(self, z):
        h3 = F.relu(self.fc3(z))
        return torch.sigmoid(self.fc4(h3))

    def forward(self, x):
        mu, logvar = self.encode(x.view(-1, 784))
        z = self.reparameterize(mu, logvar)
        return self.decode(z), mu, logvar


def loss_function(recon_x, x, mu, logvar):
    bce = F.binary_cross_entropy(recon_x, x.view(-1, 784), reduction='sum')
    kld = -0.5 * torch.sum(1 + logvar - mu.pow(2) - logvar.exp())
    return bce + kld


def train_step(model, optimizer, x):
    optimizer.zero_grad(set_to_none=True)
    recon, mu, logvar = model(x)
    loss = loss_function(recon, x, mu, logvar)
    loss.backward()
    optimizer.step()
    return loss


def first_images(folder, count):
    """The first count images of an IDX file (raw or .gz) as floats in [0, 1]."""
    path = os.path.join(folder, 'train-images-idx3-ubyte')
    opener = open if os.path.exists(path) else gzip.open
    with opener(path if os.path.exists(path) else path + '.gz', 'rb') as f:
        header = f.read(16)
        if header[:4] != b'\x00\x00\x08\x03' or int.from_bytes(header[4:8], 'big') < count:
            sys.exit(f'pytorch_vae_step: {path}[.gz] is not an IDX image file of at least {count} images')
        pixels = f.read(count * 784)
    return torch.frombuffer(bytearray(pixels), dtype=torch.uint8).float().div(255).view(count, 784)


def timed_steps(step, device, warmup, repeats):
    """Median and mean microseconds per step (CUDA events on CUDA, the wall clock on a CPU), after warmup steps."""
    for _ in range(warmup):
        step()
    if device.type == 'cuda':
        torch.cuda.synchronize()
        events = [(torch.cuda.Event(enable_timing=True), torch.cuda.Event(enable_timing=True)) for _ in range(repeats)]
        wall = time.perf_counter()
        for start, end in events:
            start.record()
            step()
            end.record()
        torch.cuda.synchronize()
        wall = time.perf_counter() - wall
        times = [1e3 * start.elapsed_time(end) for start, end in events]
    else:
        times, wall = [], time.perf_counter()
        for _ in range(repeats):
            t = time.perf_counter()
            step()
            times.append(1e6 * (time.perf_counter() - t))
        wall = time.perf_counter() - wall
    return round(statistics.median(times), 2), round(1e6 * wall / repeats, 2)


def main():
    parser = argparse.ArgumentParser(description='Time one training step of the pytorch/examples VAE.')
    parser.add_argument('--device', default='cuda' if torch.cuda.is_available() else 'cpu')
    parser.add_argument('--repeats', type=int, default=500)
    parser.add_argument('--warmup', type=int, default=50)
    parser.add_argument('--batch', type=int, default=128)
    parser.add_argument('--data', help='a folder with train-images-idx3-ubyte[.gz]; random pixels if not given')
    parser.add_argument('--seed', type=int, default=1)
    args = parser.parse_args()
    if args.repeats < 1 or args.warmup < 1:
        sys.exit('pytorch_vae_step: --repeats and --warmup must be at least 1')
    device = torch.device(args.device)
    torch.manual_seed(args.seed)
    batch = first_images(args.data, args.batch) if args.data else torch.rand(args.batch, 784)
    result = {
        'device': torch.cuda.get_device_name(device) if device.type == 'cuda' else f'cpu ({torch.get_num_threads()} threads)',
        'torch': torch.__version__, 'cuda': torch.version.cuda, 'batch': args.batch, 'repeats': args.repeats,
        'warmup': args.warmup, 'data': f'first {args.batch} images of {args.data}' if args.data else 'random pixels in [0, 1)',
        'timing': 'median per step by CUDA events' if device.type == 'cuda' else 'median per step by the wall clock',
    }

    # Eager, as in pytorch/examples.
    model = VAE().to(device)
    optimizer = optim.Adam(model.parameters(), lr=1e-3)
    x = batch.to(device)
    result['eager_step_us'], result['eager_wall_us'] = timed_steps(lambda: train_step(model, optimizer, x), device, args.warmup, args.repeats)
    result['eager_loss_per_sample'] = round(train_step(model, optimizer, x).item() / args.batch, 3)

    # The same step captured once in a CUDA graph and replayed.
    result['graph_step_us'] = result['graph_wall_us'] = result['graph_loss_per_sample'] = None
    if device.type != 'cuda':
        result['graph_reason'] = f'CUDA graphs need a CUDA device; this run is on {device.type}'
    else:
        try:
            model = VAE().to(device)
            optimizer = optim.Adam(model.parameters(), lr=1e-3, capturable=True)
            static_x = batch.to(device)
            side = torch.cuda.Stream()
            side.wait_stream(torch.cuda.current_stream())
            with torch.cuda.stream(side):  # warm-up on a side stream before capture, as the CUDA graphs notes ask
                for _ in range(3):
                    train_step(model, optimizer, static_x)
            torch.cuda.current_stream().wait_stream(side)
            graph = torch.cuda.CUDAGraph()
            optimizer.zero_grad(set_to_none=True)
            with torch.cuda.graph(graph):
                static_loss = train_step(model, optimizer, static_x)
            result['graph_step_us'], result['graph_wall_us'] = timed_steps(graph.replay, device, args.warmup, args.repeats)
            graph.replay()
            result['graph_loss_per_sample'] = round(static_loss.item() / args.batch, 3)
            result['graph_reason'] = None
        except Exception as error:  # report why, keep the eager figures
            result['graph_reason'] = f'{type(error).__name__}: {error}'.splitlines()[0]
    print(json.dumps(result))


if __name__ == '__main__':
    main()
