using VaeGpu.Host;
using VaeGpu.Host.Data;
using VaeGpu.Host.Model;
using VaeGpu.Host.Training;
using VaeGpu.Runtime.Devices;

// Train a VAE from C#: load images from a .npy file, train on the best device VaeGpu finds, save the model, load it
// back, encode a few test images and score them (an importance-weighted bound on log p(x) per image).
//   dotnet run -- images.npy [epochs] [device]
string data = args.Length > 0 ? args[0] : throw new ArgumentException("usage: dotnet run -- images.npy [epochs] [device]");
int epochs = args.Length > 1 ? int.Parse(args[1]) : 5;
string device = args.Length > 2 ? args[2] : "auto";

using var backend = DeviceCatalog.Open(DeviceRequest.Parse(device));
var images = ImageDataset.Load(data);                    // 10% of the file kept for testing, by a fixed shuffle
var config = new VaeConfig(images.Train.PixelsPerImage, Hidden: [200], Latent: 10, Likelihood.Bernoulli, SigmaX: 1f);
var vae = Vae.Create(backend, config, TrainingOptions.Default with { Seed = 7 });
vae.Fit(images.Train, images.Test, epochs,
    epochCompleted: epoch => Console.WriteLine($"epoch {epoch.Epoch}: test -ELBO {epoch.TestLoss:F2} nats/image, {epoch.Seconds:F1} s"));

using (var file = File.Create("model.safetensors")) vae.Save(file);
Vae loaded;
using (var file = File.OpenRead("model.safetensors")) loaded = Vae.Load(backend, file);

var some = images.Test.Pixels(0, 4);
float[] codes = loaded.Encode(some);                     // per image: 10 means, then 10 log-variances
double[] logLikelihood = loaded.LogLikelihood(some, draws: 100);
for (int i = 0; i < 4; i++)
    Console.WriteLine($"image {i}: z mean [{string.Join(", ", codes.Skip(i * 20).Take(3).Select(v => v.ToString("F2")))}, ...], log p(x) >= {logLikelihood[i]:F2}");
Console.WriteLine($"on {backend.Name}: trained {vae.State.EpochsCompleted} epochs, saved, loaded, encoded and scored");
