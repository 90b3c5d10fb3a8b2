using System.Diagnostics;
using System.Reflection;
using System.Runtime.InteropServices;
using ILGPU.Runtime.Cuda;
using VaeGpu.Runtime.Ilgpu;
using VaeGpu.Tests.Data;

namespace VaeGpu.Tests;

/// <summary>
/// How ILGPU.Algorithms imports cuBLAS (the names CuBlasLibrary's resolver maps), the search for
/// libcublas.so.13/.12/.11 over a temporary tree of fake files, with the reasons it gives, and loading (a file that is
/// no library, a library that is not cuBLAS, a stand-in cuBLAS built with cc).
/// </summary>
public class CuBlasLibraryTests
{
    static readonly string[] Names = CuBlasLibrary.Names;
    static bool NotOnLoaderPath(string name) => false;

    [Test]
    public void IlgpuAlgorithmsImportsCuBlasFromItsOwnAssemblyByTheNamesTheResolverMaps()
    {
        var assembly = typeof(CuBlas).Assembly;
        var linux = assembly.GetTypes().Where(type => type.Name.StartsWith("CuBlasAPI_Linux_", StringComparison.Ordinal)).ToList();
        Assert.That(linux.Select(type => type.Name), Is.EquivalentTo(new[] { "CuBlasAPI_Linux_V10", "CuBlasAPI_Linux_V11", "CuBlasAPI_Linux_V12" }));

        const BindingFlags all = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static | BindingFlags.Instance | BindingFlags.DeclaredOnly;
        var libraries = linux.SelectMany(type => type.GetMethods(all))
            .Where(method => method.Attributes.HasFlag(MethodAttributes.PinvokeImpl))
            .Select(method => method.GetCustomAttribute<DllImportAttribute>()!.Value)
            .Distinct().ToList();
        Assert.That(libraries, Is.EquivalentTo(CuBlasLibrary.IlgpuImportNames));
        Assert.That(Enum.GetNames<ILGPU.Runtime.Cuda.API.CuBlasAPIVersion>(), Is.EqualTo(new[] { "V10", "V11", "V12" }));
    }

    [Test]
    public void InAFolderTheNewestNameWins()
    {
        using var tree = new TemporaryFolder();
        string folder = Touch(tree.Path, "lib64", "libcublas.so.12", "libcublas.so.13", "libcublas.so.11");

        var found = CuBlasLibrary.Find(Names, [folder], NotOnLoaderPath);

        Assert.That(found.Path, Is.EqualTo(Path.Combine(folder, "libcublas.so.13")));
        Assert.That(found.Reason, Is.EqualTo($"libcublas.so.13 in {folder}"));
        Assert.That(found.Major, Is.EqualTo(13));
    }

    [Test]
    public void AnEarlierFolderWinsOverANewerVersionLater()
    {
        using var tree = new TemporaryFolder();
        string first = Touch(tree.Path, "first", "libcublas.so.11");
        string second = Touch(tree.Path, "second", "libcublas.so.13");

        var found = CuBlasLibrary.Find(Names, [first, second], NotOnLoaderPath);

        Assert.That(found.Reason, Is.EqualTo($"libcublas.so.11 in {first}"));
        Assert.That(found.Major, Is.EqualTo(11));
    }

    [Test]
    public void TheLoaderPathComesFirstAndIsAskedForBareNamesOnly()
    {
        using var tree = new TemporaryFolder();
        string folder = Touch(tree.Path, "lib64", "libcublas.so.13");
        var asked = new List<string>();

        var found = CuBlasLibrary.Find(Names, [folder], name => { asked.Add(name); return name == "libcublas.so.12"; });

        Assert.That(found.Path, Is.EqualTo("libcublas.so.12"));
        Assert.That(found.Reason, Is.EqualTo("libcublas.so.12 on the loader path"));
        Assert.That(asked, Is.EqualTo(new[] { "libcublas.so.13", "libcublas.so.12" }));
    }

    [Test]
    public void WithoutCuBlasTheReasonSaysWhereItLooked()
    {
        using var tree = new TemporaryFolder();
        string a = Touch(tree.Path, "a", "libcublasLt.so.13", "libcublas.so");
        string b = Touch(tree.Path, "b");

        var none = CuBlasLibrary.Find(Names, [a, b], NotOnLoaderPath);
        Assert.That(none.Found, Is.False);
        Assert.That(none.Major, Is.Null);
        Assert.That(none.Reason, Is.EqualTo($"no libcublas.so.13/.12/.11 on the loader path or in {a}, {b}"));

        Assert.That(CuBlasLibrary.Find(Names, [], NotOnLoaderPath).Reason, Is.EqualTo(
            "no libcublas.so.13/.12/.11 on the loader path, and no CUDA toolkit or Python nvidia/cublas folder ($CUDA_HOME, $CUDA_PATH, /usr/local/cuda*, site-packages)"));
    }

    [Test]
    public void FoldersAreSearchedEnvironmentFirstThenToolkitsThenPythonEnvironments()
    {
        using var tree = new TemporaryFolder();
        string root = Path.Combine(tree.Path, "root");
        string R(string relative) => Path.Combine(root, relative);
        string cudaHome = Path.Combine(tree.Path, "cuda-home");
        string venv = Path.Combine(tree.Path, "venv");
        string conda = Path.Combine(tree.Path, "conda-env");
        string home = Path.Combine(tree.Path, "home");
        string pathPrefix = Path.Combine(tree.Path, "py");
        string[] existing =
        [
            Path.Combine(cudaHome, "lib64"),
            R("usr/local/cuda/lib64"), R("usr/local/cuda/targets/x86_64-linux/lib"),
            R("usr/local/cuda-12.4/lib64"), R("usr/local/cuda-13.0/targets/x86_64-linux/lib"), R("usr/local/cuda-9.2/lib64"),
            Path.Combine(venv, "lib/python3.12/site-packages/nvidia/cu13/lib"),
            Path.Combine(conda, "lib/python3.11/site-packages/nvidia/cublas/lib"), Path.Combine(conda, "lib"),
            Path.Combine(pathPrefix, "lib/python3.13/site-packages/nvidia/cu13/lib"),
            Path.Combine(home, ".local/lib/python3.10/site-packages/nvidia/cublas/lib"),
            R("usr/local/lib/python3.12/dist-packages/nvidia/cu13/lib"), R("usr/local/lib/python3.12/dist-packages/nvidia/cublas/lib"),
            R("usr/lib/python3.9/dist-packages/nvidia/cublas/lib"), R("usr/lib/python3.11/dist-packages/nvidia/cublas/lib"),
            R("usr/lib/python3/dist-packages/nvidia/cublas/lib"),
            R("opt/conda/lib/python3.12/site-packages/nvidia/cu13/lib"), R("opt/conda/lib"),
        ];
        foreach (var folder in existing) Directory.CreateDirectory(folder);
        Directory.CreateDirectory(R("usr/local/lib/python3.12/site-packages/nvidia")); // no lib folder: not listed
        Directory.CreateDirectory(Path.Combine(pathPrefix, "bin"));
        File.WriteAllText(Path.Combine(pathPrefix, "bin", "python3"), "");
        var environment = new Dictionary<string, string>
        {
            ["CUDA_HOME"] = cudaHome, ["CUDA_PATH"] = Path.Combine(tree.Path, "absent"),
            ["VIRTUAL_ENV"] = venv, ["CONDA_PREFIX"] = conda, ["HOME"] = home,
            ["PATH"] = $"{Path.Combine(tree.Path, "nopython", "bin")}:{Path.Combine(pathPrefix, "bin")}",
        };

        var folders = CuBlasLibrary.Folders(root, name => environment.GetValueOrDefault(name));

        Assert.That(folders, Is.EqualTo(new[]
        {
            Path.Combine(cudaHome, "lib64"),
            R("usr/local/cuda/lib64"), R("usr/local/cuda/targets/x86_64-linux/lib"),
            R("usr/local/cuda-13.0/targets/x86_64-linux/lib"), R("usr/local/cuda-12.4/lib64"), R("usr/local/cuda-9.2/lib64"),
            Path.Combine(venv, "lib/python3.12/site-packages/nvidia/cu13/lib"),
            Path.Combine(conda, "lib/python3.11/site-packages/nvidia/cublas/lib"),
            Path.Combine(pathPrefix, "lib/python3.13/site-packages/nvidia/cu13/lib"),
            Path.Combine(home, ".local/lib/python3.10/site-packages/nvidia/cublas/lib"),
            R("usr/local/lib/python3.12/dist-packages/nvidia/cu13/lib"), R("usr/local/lib/python3.12/dist-packages/nvidia/cublas/lib"),
            R("usr/lib/python3.11/dist-packages/nvidia/cublas/lib"), R("usr/lib/python3.9/dist-packages/nvidia/cublas/lib"),
            R("usr/lib/python3/dist-packages/nvidia/cublas/lib"),
            R("opt/conda/lib/python3.12/site-packages/nvidia/cu13/lib"),
            Path.Combine(conda, "lib"), R("opt/conda/lib"),
        }));
    }

    [Test]
    public void AWheelInAVirtualEnvironmentIsFoundWhenNoToolkitHasCuBlas()
    {
        using var tree = new TemporaryFolder();
        string root = Path.Combine(tree.Path, "root");
        Touch(root, "usr/local/cuda/lib64", "libcudart.so.13");
        string venv = Path.Combine(tree.Path, "venv");
        string wheel = Touch(venv, "lib/python3.12/site-packages/nvidia/cu13/lib", "libcublas.so.13", "libcublasLt.so.13");

        var found = CuBlasLibrary.Find(Names, CuBlasLibrary.Folders(root, name => name == "VIRTUAL_ENV" ? venv : null), NotOnLoaderPath);

        Assert.That(found.Reason, Is.EqualTo($"libcublas.so.13 in {wheel}"));
    }

    [Test]
    public void WithNothingInstalledTheFolderListIsEmpty()
    {
        using var tree = new TemporaryFolder();
        Assert.That(CuBlasLibrary.Folders(tree.Path, _ => null), Is.Empty);
    }

    [Test]
    public void AFileThatIsNoLibraryDoesNotLoadAndSaysSo()
    {
        using var tree = new TemporaryFolder();
        string folder = Touch(tree.Path, "lib64", "libcublas.so.13");

        var load = CuBlasLibrary.Load(CuBlasLibrary.Find(Names, [folder], NotOnLoaderPath));

        Assert.That(load.Loaded, Is.False);
        Assert.That(CuBlasLibrary.Describe(load), Does.StartWith($"libcublas.so.13 in {folder} does not load: "));
        Assert.That(CuBlasLibrary.Describe(load), Does.Not.Contain('\n'));
    }

    [Test]
    public void ALibraryWithoutTheCuBlasApiIsRefused()
    {
        using var tree = new TemporaryFolder();
        string folder = Path.Combine(tree.Path, "lib64");
        Directory.CreateDirectory(folder);
        File.Copy("/lib/x86_64-linux-gnu/libz.so.1", Path.Combine(folder, "libcublas.so.12"));

        var load = CuBlasLibrary.Load(CuBlasLibrary.Find(Names, [folder], NotOnLoaderPath));

        Assert.That(load.Loaded, Is.False);
        Assert.That(CuBlasLibrary.Describe(load), Is.EqualTo($"libcublas.so.12 in {folder} loaded but is not cuBLAS (no cublasCreate_v2)"));
    }

    [Test]
    public void AStandInCuBlasLoadsAndIsDescribedByWhereItWasFound()
    {
        using var tree = new TemporaryFolder();
        string folder = Path.Combine(tree.Path, "lib64");
        Directory.CreateDirectory(folder);
        BuildStandInCuBlas(tree.Path, Path.Combine(folder, "libcublas.so.13"));

        var load = CuBlasLibrary.Load(CuBlasLibrary.Find(Names, [folder], NotOnLoaderPath));

        Assert.That(load.Loaded, Is.True, load.Problem);
        Assert.That(CuBlasLibrary.Describe(load), Is.EqualTo($"libcublas.so.13 in {folder}"));
    }

    /// <summary>Creates root/relative with empty files of the given names; returns the folder.</summary>
    static string Touch(string root, string relative, params string[] files)
    {
        string folder = Path.Combine(root, relative);
        Directory.CreateDirectory(folder);
        foreach (var file in files) File.WriteAllText(Path.Combine(folder, file), "");
        return folder;
    }

    /// <summary>A shared library exporting cublasCreate_v2, as the real cuBLAS does.</summary>
    internal static void BuildStandInCuBlas(string workFolder, string library)
    {
        string source = Path.Combine(workFolder, "cublas.c");
        File.WriteAllText(source, "int cublasCreate_v2(void **handle) { *handle = 0; return 0; }\n");
        try
        {
            using var compiler = Process.Start(new ProcessStartInfo("cc", ["-shared", "-fPIC", "-o", library, source]) { RedirectStandardError = true })!;
            compiler.WaitForExit();
            if (compiler.ExitCode != 0) Assert.Ignore($"cc could not build the stand-in cuBLAS: {compiler.StandardError.ReadToEnd()}");
        }
        catch (System.ComponentModel.Win32Exception)
        {
            Assert.Ignore("no C compiler (cc) to build a stand-in cuBLAS with");
        }
    }
}
