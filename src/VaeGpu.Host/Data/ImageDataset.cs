using VaeGpu.Runtime;

namespace VaeGpu.Host.Data;

/// <summary>Train and test images (with labels where the dataset has them) for `vaegpu train --data`.</summary>
public sealed record ImageDataset(ImageSet Train, ImageSet Test)
{
    /// <summary>The --data value that means the Fashion-MNIST install, even where a folder of that name exists.</summary>
    public const string FashionMnistName = "fashion-mnist";

    /// <summary>Where Debian's dataset-fashion-mnist package puts the four gzip-compressed IDX files.</summary>
    public const string FashionMnistFolder = "/usr/share/datasets/fashion-mnist";

    /// <summary>
    /// data is "fashion-mnist" or a folder that holds train-images-idx3-ubyte and t10k-images-idx3-ubyte, and
    /// optionally train-labels-idx1-ubyte and t10k-labels-idx1-ubyte, each raw or with .gz appended. Where both
    /// forms of a file are there, the raw one is read: it is the same data and reads without decompressing.
    /// </summary>
    public static ImageDataset Load(string data)
    {
        if (data == FashionMnistName && !Directory.Exists(FashionMnistFolder))
            throw new UserErrorException("Fashion-MNIST is not installed: run `apt-get install dataset-fashion-mnist` (or ./run.sh, which installs it), or pass --data DIR");
        string folder = data == FashionMnistName ? FashionMnistFolder : data;
        if (!Directory.Exists(folder)) throw new UserErrorException($"{folder}: no such folder (--data takes {FashionMnistName} or a folder of IDX files).");

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
