using VaeGpu.Host.Experiments.GradientEstimators;
using VaeGpu.Host.Experiments.ImplicitGradients;
using VaeGpu.Host.Model;
using VaeGpu.Host.Names;
using VaeGpu.Host.Training;
using VaeGpu.Kernels;
using VaeGpu.Tests.Data;

namespace VaeGpu.Tests.Names;

/// <summary>Every name table: each value has exactly one name, names round-trip, and an unknown word is refused with the names listed.</summary>
public class NameTableTests
{
    /// <summary>A table whatever its T, with every value of T (an enum's values; KlGradient.All, the pairs the kernels compute).</summary>
    public interface ITable
    {
        string Noun { get; }
        IReadOnlyList<object> Every { get; }
        IReadOnlyList<object> Values { get; }
        IReadOnlyList<string> Names { get; }
        string Name(object value);
        object Parse(string text, string? source = null);
    }

    sealed class Table<T>(NameTable<T> table, IEnumerable<T> every) : ITable where T : struct
    {
        public string Noun => table.Noun;
        public IReadOnlyList<object> Every { get; } = [.. every.Cast<object>()];
        public IReadOnlyList<object> Values => [.. table.Values.Cast<object>()];
        public IReadOnlyList<string> Names => table.Names;
        public string Name(object value) => table.Name((T)value);
        public object Parse(string text, string? source = null) => table.Parse(text, source);
    }

    public static IEnumerable<TestCaseData> Tables() =>
    [
        Case(Vocabulary.Estimators),
        Case(Vocabulary.Samplers),
        Case(Vocabulary.Costs),
        Case(Vocabulary.KlGradients, KlGradient.All),
        Case(ModelVocabulary.Likelihoods),
        Case(ModelVocabulary.Activations, [Activation.Relu, Activation.Tanh]),
        Case(ModelVocabulary.Objectives),
        Case(TrainingVocabulary.Optimizers),
        Case(TrainingVocabulary.Binarizations),
        Case(VarianceVocabulary.Parameters),
        Case(ImplicitVarianceVocabulary.Distributions),
        Case(ImplicitVarianceVocabulary.Costs),
        Case(ImplicitVarianceVocabulary.Parameters),
    ];

    static TestCaseData Case<T>(NameTable<T> table) where T : struct, Enum => Case(table, Enum.GetValues<T>());

    static TestCaseData Case<T>(NameTable<T> table, IEnumerable<T> every) where T : struct =>
        new TestCaseData(new Table<T>(table, every)).SetArgDisplayNames(table.Noun);

    [TestCaseSource(nameof(Tables))]
    public void EveryValueHasExactlyOneName(ITable table)
    {
        Assert.That(table.Values, Is.EquivalentTo(table.Every).And.Unique, "each value once");
        Assert.That(table.Names, Has.Count.EqualTo(table.Values.Count), "one name per value");
        Assert.That(table.Names.Select(name => name.ToLowerInvariant()), Is.Unique, "no two values share a name, whatever its case");
        Assert.That(table.Names, Has.All.Matches<string>(name => name.Length > 0 && !name.Any(char.IsWhiteSpace) && !name.Contains(',')),
            "a name is one word a list can hold");
    }

    [TestCaseSource(nameof(Tables))]
    public void NamesRoundTrip(ITable table)
    {
        foreach (var value in table.Every)
        {
            string name = table.Name(value);
            Assert.That(table.Parse(name), Is.EqualTo(value), name);
            Assert.That(table.Parse(name.ToUpperInvariant()), Is.EqualTo(value), $"{name}, in capitals");
        }
        foreach (string name in table.Names) Assert.That(table.Name(table.Parse(name)), Is.EqualTo(name));
    }

    [TestCaseSource(nameof(Tables))]
    public void ParseRefusesAnUnknownWordListingTheNames(ITable table)
    {
        string message = UserErrorAssert.Throws(() => table.Parse("frobnicate", "run.json"), "run.json: ", $"unknown {table.Noun} 'frobnicate'");
        Assert.That(message, Does.StartWith("run.json: "));
        foreach (string name in table.Names) Assert.That(message, Does.Contain(name));
    }

    [Test]
    public void ChoicesReadAsAList()
    {
        Assert.That(TrainingVocabulary.Binarizations.Choices, Is.EqualTo("none, dynamic or static"));
        Assert.That(ModelVocabulary.Likelihoods.Choices, Is.EqualTo("bernoulli or gaussian"));
        Assert.That(Vocabulary.Estimators.NamesOf([GradientEstimator.Dreg, GradientEstimator.Pathwise]), Is.EqualTo(new[] { "dreg", "pathwise" }));
    }
}
