namespace VaeGpu.Runtime;

public static class BackendExtensions
{
    /// <summary>A new array with the tensor's values (waits for queued work). For checkpoints and tests, not hot loops.</summary>
    public static float[] Download(this IBackend backend, Tensor tensor)
    {
        var values = new float[tensor.Length];
        backend.Download(tensor, values);
        return values;
    }
}
