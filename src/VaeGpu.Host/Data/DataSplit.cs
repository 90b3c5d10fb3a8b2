namespace VaeGpu.Host.Data;

/// <summary>Which images of a dataset a command reads (ImageDataset.LoadImages).</summary>
public enum DataSplit { Test, Train, All }
