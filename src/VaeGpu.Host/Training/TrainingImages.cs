using VaeGpu.Host.Data;
using VaeGpu.Host.Model;

namespace VaeGpu.Host.Training;

/// <summary>
/// The images as a run's binarisation needs them: a static run's train set drawn once, and for either binarisation the
/// test set drawn once (a dynamic run redraws each training batch on the device instead, in TrainingStep), all from
/// the run's seed, so a resumed run and every device see the same pixels.
/// </summary>
public static class TrainingImages
{
    public static ImageSet Train(ImageSet images, TrainingOptions options) => options.Binarize == Binarization.Static
        ? images.Binarized(options.Seed, RandomStreams.TrainSetBinarization)
        : images;

    public static ImageSet Test(ImageSet images, TrainingOptions options) => options.Binarize == Binarization.None
        ? images
        : images.Binarized(options.Seed, RandomStreams.TestSetBinarization);
}
