using VaeGpu.Host.Model;
using VaeGpu.Host.SafeTensors;
using VaeGpu.Host.Training;
using VaeGpu.Tests.Data;
using VaeGpu.Tests.Model;

namespace VaeGpu.Tests.Commands;

/// <summary>
/// `vaegpu export` and PyTorch-layout files: native -> pytorch -> native gives the same bytes, a file in the layout of
/// pytorch/examples vae/main.py built here by hand evaluates, samples and measures exactly as the native model it came
/// from, and a file that does not fit is refused in one line naming the tensor.
/// </summary>
public class ExportCommandTests
{
    /// <summary>A native model file with seeded weights; with two hidden layers the naming rule is exercised past the example.</summary>
    static string NativeModel(TemporaryFolder folder, int[] hidden) => TestModels.Save(folder.File($"native-{hidden.Length}.safetensors"), hidden);

    /// <summary>
    /// The state_dict PyTorch's example would hold for the same weights, written without vaegpu's metadata, by the
    /// test's own transposition: fc{i} for hidden layer i, fc{L+1}1 / fc{L+1}2 for mu / log sigma^2, then the decoder.
    /// </summary>
    static string PyTorchModelByHand(string nativePath, string path)
    {
        var native = SafeTensorsFile.Read(nativePath);
        var hidden = native.Metadata["hidden"].Split(',');
        int layers = hidden.Length, latent = int.Parse(native.Metadata["latent"]);
        var tensors = new List<NamedTensor>();
        void Add(string name, NamedTensor weight, NamedTensor bias, int first, int count)
        {
            int inputs = weight.Shape[0], outputs = weight.Shape[1];
            var transposed = new float[count * inputs];
            for (int o = 0; o < count; o++)
                for (int i = 0; i < inputs; i++) transposed[o * inputs + i] = weight.Values[i * outputs + first + o];
            tensors.Add(new NamedTensor($"{name}.weight", [count, inputs], transposed));
            tensors.Add(new NamedTensor($"{name}.bias", [count], bias.Values[first..(first + count)]));
        }
        for (int i = 0; i < layers; i++)
            Add($"fc{i + 1}", native.Get($"encoder.{i}.weight"), native.Get($"encoder.{i}.bias"), 0, int.Parse(hidden[i]));
        Add($"fc{layers + 1}1", native.Get("encoder.head.weight"), native.Get("encoder.head.bias"), 0, latent);
        Add($"fc{layers + 1}2", native.Get("encoder.head.weight"), native.Get("encoder.head.bias"), latent, latent);
        for (int j = 0; j < layers; j++)
            Add($"fc{layers + 2 + j}", native.Get($"decoder.{j}.weight"), native.Get($"decoder.{j}.bias"), 0, native.Get($"decoder.{j}.bias").Shape[0]);
        Add($"fc{2 * layers + 2}", native.Get("decoder.output.weight"), native.Get("decoder.output.bias"), 0, 64);
        SafeTensorsFile.Write(path, tensors, new Dictionary<string, string> { ["format"] = "pt" });
        return path;
    }

    [TestCase(new[] { 16 })]
    [TestCase(new[] { 16, 8 })]
    public void NativeToPyTorchToNativeGivesTheSameBytes(int[] hidden)
    {
        using var folder = new TemporaryFolder();
        string native = NativeModel(folder, hidden), pytorch = folder.File("pytorch.safetensors"), back = folder.File("back.safetensors");
        var (exitCode, _, error) = VaegpuProcess.Run("export", "--model", native, "--format", "pytorch", "--out", pytorch);
        Assert.That(exitCode, Is.Zero, error);
        var names = SafeTensorsFile.Read(pytorch).Tensors.Select(tensor => tensor.Name);
        Assert.That(names, Is.EqualTo(hidden.Length == 1
            ? new[] { "fc1.weight", "fc1.bias", "fc21.weight", "fc21.bias", "fc22.weight", "fc22.bias", "fc3.weight", "fc3.bias", "fc4.weight", "fc4.bias" }
            : ["fc1.weight", "fc1.bias", "fc2.weight", "fc2.bias", "fc31.weight", "fc31.bias", "fc32.weight", "fc32.bias",
                "fc4.weight", "fc4.bias", "fc5.weight", "fc5.bias", "fc6.weight", "fc6.bias"]));
        var exported = SafeTensorsFile.Read(pytorch);
        var byHand = SafeTensorsFile.Read(PyTorchModelByHand(native, folder.File("by-hand.safetensors")));
        foreach (var tensor in byHand.Tensors)
        {
            Assert.That(exported.Get(tensor.Name).Shape, Is.EqualTo(tensor.Shape), tensor.Name);
            Assert.That(exported.Get(tensor.Name).Values, Is.EqualTo(tensor.Values), tensor.Name);
        }

        (exitCode, _, error) = VaegpuProcess.Run("export", "--model", pytorch, "--format", "native", "--out", back);
        Assert.That(exitCode, Is.Zero, error);
        Assert.That(File.ReadAllBytes(back), Is.EqualTo(File.ReadAllBytes(native)));
    }

    [Test]
    public void APyTorchFileEvaluatesSamplesAndMeasuresAsTheNativeModel()
    {
        using var folder = new TemporaryFolder();
        string data = IdxWriter.WriteDataSet(folder.File("data"), 64, 32, 8, 8);
        string native = NativeModel(folder, [16, 8]), pytorch = PyTorchModelByHand(native, folder.File("pytorch.safetensors"));
        string Output(params string[] arguments)
        {
            var (exitCode, output, error) = VaegpuProcess.Run(arguments);
            Assert.That(exitCode, Is.Zero, error);
            return output;
        }
        foreach (var model in new[] { native, pytorch })
            Output("sample", "--model", model, "--n", "9", "--out", folder.File($"{Path.GetFileNameWithoutExtension(model)}.png"), "--device", "host");
        Assert.That(Output("eval", "--model", pytorch, "--data", data, "--iw", "50", "--device", "host"),
            Is.EqualTo(Output("eval", "--model", native, "--data", data, "--iw", "50", "--device", "host")).And.Contain("log p(x) >="));
        Assert.That(File.ReadAllBytes(folder.File("pytorch.png")), Is.EqualTo(File.ReadAllBytes(folder.File($"{Path.GetFileNameWithoutExtension(native)}.png"))));
        string[] Variance(string model) => ["variance", "vae", "--model", model, "--data", data, "--images", "8", "--samples", "20", "--device", "host", "--out", folder.File(Path.GetFileNameWithoutExtension(model) + "-variance")];
        Assert.That(Output(Variance(pytorch)), Is.EqualTo(Output(Variance(native)).Replace(folder.File(Path.GetFileNameWithoutExtension(native) + "-variance"), folder.File("pytorch-variance"))));
    }

    [Test]
    public void AFileThatDoesNotFitIsRefusedInOneLineAndNothingIsWritten()
    {
        using var folder = new TemporaryFolder();
        string native = NativeModel(folder, [16]);
        var byHand = SafeTensorsFile.Read(PyTorchModelByHand(native, folder.File("pytorch.safetensors")));
        string Without(string name)
        {
            string path = folder.File($"without-{name}.safetensors");
            SafeTensorsFile.Write(path, byHand.Tensors.Where(tensor => tensor.Name != name).ToList(), byHand.Metadata);
            return path;
        }
        string Reshaped(string name)
        {
            string path = folder.File($"reshaped-{name}.safetensors");
            SafeTensorsFile.Write(path, byHand.Tensors.Select(tensor => tensor.Name == name ? tensor with { Shape = [tensor.Shape[1], tensor.Shape[0]] } : tensor).ToList(), byHand.Metadata);
            return path;
        }
        string target = folder.File("out.safetensors");
        Assert.That(VaegpuProcess.RunExpectingUserError("export", "--model", Without("fc3.bias"), "--out", target), Does.Contain("'fc3.bias'"));
        Assert.That(VaegpuProcess.RunExpectingUserError("export", "--model", Reshaped("fc4.weight"), "--out", target), Does.Contain("'fc4.weight'").And.Contain("[64,16]"));
        Assert.That(VaegpuProcess.RunExpectingUserError("eval", "--model", Without("fc22.weight")), Does.Contain("'fc22.weight'"));
        Assert.That(VaegpuProcess.RunExpectingUserError("export", "--model", native, "--format", "onnx", "--out", target), Does.Contain("--format onnx"));
        Assert.That(File.Exists(target), Is.False);
    }
}
