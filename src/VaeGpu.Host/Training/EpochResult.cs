namespace VaeGpu.Host.Training;

/// <summary>
/// One row of metrics.csv. Losses are nats per sample: -ELBO = reconstruction NLL + KL (unweighted by beta).
/// HostThreads is the size of the host path's thread team for the epoch (it changes the speed, not the numbers), 0 on a
/// device; rows written before it was recorded read back as 0.
/// </summary>
public sealed record EpochResult(int Epoch, double TrainLoss, double TrainKl, double TestLoss, double TestKl, double Seconds, double SamplesPerSecond, double MachineBusy,
    int HostThreads = 0)
{
    /// <summary>The share of the machine other processes kept busy over the epoch (not in metrics.csv: it describes the machine, not the run).</summary>
    public double OtherProcessesBusy { get; init; } = double.NaN;

    public const string CsvHeader = "epoch,train_loss,test_loss,seconds,samples_per_s,train_kl,test_kl,machine_busy,host_threads";

    public string ToCsv() => string.Join(',',
        Epoch.ToString(System.Globalization.CultureInfo.InvariantCulture),
        F(TrainLoss), F(TestLoss), F(Seconds), F(SamplesPerSecond), F(TrainKl), F(TestKl), F(MachineBusy),
        HostThreads.ToString(System.Globalization.CultureInfo.InvariantCulture));

    static string F(double value) => value.ToString("0.######", System.Globalization.CultureInfo.InvariantCulture);

    public static EpochResult FromCsv(string line)
    {
        var v = line.Split(',').Select(part => double.Parse(part, System.Globalization.CultureInfo.InvariantCulture)).ToArray();
        return new EpochResult((int)v[0], v[1], v[5], v[2], v[6], v[3], v[4], v[7], v.Length > 8 ? (int)v[8] : 0);
    }
}
