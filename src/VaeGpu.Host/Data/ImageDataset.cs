using VaeGpu.Runtime;

namespace VaeGpu.Host.Data;

/// <summary>Train and test images (with labels where the dataset has them) for `vaegpu train --data`.</summary>
public sealed record ImageDataset(ImageSet Train, ImageSet Test)
{
    /// <summary>The --data value that means the Fashion-MNIST install, even where a folder of that name exists.</summary>
    public const string FashionMnistName = "fashion-mnist";

    /// <summary>Where Debian's dataset-fashion-mnist package puts the four gzip-compressed IDX files.</summary>
    public const string FashionMnistFolder = "/usr/share/datasets/fashion-mnist";

    /// <summary>The share of a single .npy file's images kept for testing when --test-fraction is not given.</summary>
    public const double DefaultTestFraction = 0.1;

    /// <summary>
    /// data is "fashion-mnist"; a folder that holds train-images-idx3-ubyte and t10k-images-idx3-ubyte, and
    /// optionally train-labels-idx1-ubyte and t10k-labels-idx1-ubyte, each raw or with .gz appended (where both
    /// forms of a file are there, the raw one is read: it is the same data and reads without decompressing); a folder
    /// that holds train.npy and test.npy; or one .npy file, split by ImageSet.Split with testFraction (default
    /// DefaultTestFraction). testFraction is only for a single .npy file.
    /// </summary>
    public static ImageDataset Load(string data, double? testFraction = null)
    {
        if (testFraction is { } fraction && !(fraction > 0 && fraction < 1))
            throw new InvalidSettingException(nameof(testFraction), fraction, "give a fraction between 0 and 1, such as 0.1.");
        if (data.EndsWith(".npy", StringComparison.OrdinalIgnoreCase) && !Directory.Exists(data))
        {
            var (trainPart, testPart) = NpyFile.ReadImages(data).Split(testFraction ?? DefaultTestFraction);
            return new ImageDataset(trainPart, testPart);
        }
        if (testFraction is not null)
            throw new InvalidSettingException([new(nameof(testFraction), InvalidSettingException.Text(testFraction)), new(nameof(data), data)],
                $"a test fraction is for a single .npy file, which it splits; {data} has its own test set: give no {{testFraction}}.");
        if (data == FashionMnistName && !Directory.Exists(FashionMnistFolder))
            throw new UserErrorException("Fashion-MNIST is not installed: run `apt-get install dataset-fashion-mnist` (or ./run.sh, which installs it), or give another data set");
        string folder = data == FashionMnistName ? FashionMnistFolder : data;
        if (!Directory.Exists(folder)) throw new UserErrorException($"{folder}: no such folder or .npy file (a data set is {FashionMnistName}, a folder of IDX or .npy files, or one .npy file).");
        string trainNpy = Path.Combine(folder, "train.npy"), testNpy = Path.Combine(folder, "test.npy");
        if (File.Exists(trainNpy) || File.Exists(testNpy))
        {
            if (!File.Exists(trainNpy) || !File.Exists(testNpy))
                throw new UserErrorException($"{folder}: has {(File.Exists(trainNpy) ? "train.npy but no test.npy" : "test.npy but no train.npy")}; a folder of .npy images needs both.");
            var npyTrain = NpyFile.ReadImages(trainNpy);
            var npyTest = NpyFile.ReadImages(testNpy);
            if (npyTrain.PixelsPerImage != npyTest.PixelsPerImage)
                throw new UserErrorException($"{folder}: the train images have {npyTrain.PixelsPerImage} pixels ({trainNpy}) but the test images have {npyTest.PixelsPerImage} ({testNpy}).");
            return new ImageDataset(npyTrain, npyTest with { Rows = npyTrain.Rows, Columns = npyTrain.Columns });
        }

        string? trainImages = Find(folder, "train-images-idx3-ubyte"), testImages = Find(folder, "t10k-images-idx3-ubyte");
        if (trainImages is null || testImages is null)
        {
            var lacking = new List<string>();
            if (trainImages is null) lacking.Add("train-images-idx3-ubyte[.gz]");
            if (testImages is null) lacking.Add("t10k-images-idx3-ubyte[.gz]");
            throw new UserErrorException($"{folder}: no {string.Join(" and no ", lacking)} in this folder.");
        }

        var train = ReadSplit(trainImages, Find(folder, "train-labels-idx1-ubyte"));
        var test = ReadSplit(testImages, Find(folder, "t10k-labels-idx1-ubyte"));
        if (train.Rows != test.Rows || train.Columns != test.Columns)
            throw new UserErrorException($"{folder}: the train images are {train.Rows}x{train.Columns} ({trainImages}) but the test images are {test.Rows}x{test.Columns} ({testImages}).");
        return new ImageDataset(train, test);
    }

    /// <summary>
    /// One split of the data: its test images, its train images, or all of them. All is a single .npy file whole, in
    /// the file's order; for a dataset with its own train and test sets, the train images followed by the test images.
    /// </summary>
    public static ImageSet LoadImages(string data, double? testFraction, DataSplit split)
    {
        if (split == DataSplit.All && data.EndsWith(".npy", StringComparison.OrdinalIgnoreCase) && !Directory.Exists(data))
        {
            if (testFraction is not null)
                throw new InvalidSettingException(nameof(testFraction), testFraction, $"all of {data} is used, so there is nothing to split: give no {{testFraction}}.");
            return NpyFile.ReadImages(data);
        }
        var dataset = Load(data, testFraction);
        return split switch
        {
            DataSplit.Test => dataset.Test,
            DataSplit.Train => dataset.Train,
            _ => dataset.Train.Concat(dataset.Test),
        };
    }

    /// <summary>Refuses pixels a decoder cannot score, in either split (ImageSet.RequireValues).</summary>
    public void RequireValues(bool unitInterval, string decoder)
    {
        Train.RequireValues(unitInterval, decoder);
        Test.RequireValues(unitInterval, decoder);
    }

    /// <summary>The raw file if it is there, else the .gz one, else null.</summary>
    static string? Find(string folder, string name)
    {
        string raw = Path.Combine(folder, name), gzip = raw + ".gz";
        return File.Exists(raw) ? raw : File.Exists(gzip) ? gzip : null;
    }

    static ImageSet ReadSplit(string imagesPath, string? labelsPath)
    {
        var images = IdxFile.ReadImages(imagesPath);
        if (labelsPath is null) return images;
        byte[] labels = IdxFile.ReadLabels(labelsPath);
        if (labels.Length != images.Count)
            throw new UserErrorException($"{labelsPath} has {labels.Length} labels but {imagesPath} has {images.Count} images.");
        return images with { Labels = labels };
    }
}
