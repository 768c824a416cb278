# Makes the PyTorch-exported fixtures of SymbolicShapeTest (run once with Debian's python3-torch 1.13 and
# python3-onnx; the tests only read the files): NAME/model.onnx, and per width W NAME/input_W.npy (float32,
# (2, 2, W)) and NAME/expected_W.npy (the module run in float64, stored as float64).
import os
import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F


class UNetPad(nn.Module):
    """The U-Net skip-padding idiom: pad the upsampled branch to the skip's width, half on each side."""

    def __init__(self):
        super().__init__()
        self.down = nn.Conv1d(2, 3, 3, stride=2)
        self.skipc = nn.Conv1d(2, 3, 1)

    def forward(self, x):
        skip = self.skipc(x)
        y = self.down(x)
        d = skip.size(2) - y.size(2)
        y = F.pad(y, [d // 2, d - d // 2])
        return y + skip


class Crop(nn.Module):
    """Crop to another tensor's width."""

    def __init__(self):
        super().__init__()
        self.a = nn.Conv1d(2, 3, 1)
        self.b = nn.ConvTranspose1d(2, 3, 4, stride=2)

    def forward(self, x):
        a = self.a(x)
        b = self.b(x)
        return b[:, :, :a.size(2)] + a


torch.manual_seed(12)
for name, module, widths in [("unet_pad", UNetPad(), [3, 4, 7, 8, 13]), ("crop", Crop(), [1, 2, 5, 11])]:
    os.makedirs(name, exist_ok=True)
    torch.onnx.export(module, torch.randn(1, 2, 11), name + "/model.onnx", opset_version=13, input_names=["x"],
                      output_names=["y"], dynamic_axes={"x": {0: "N", 2: "W"}, "y": {0: "N", 2: "OW"}})
    double = module.double()
    for w in widths:
        x = torch.randn(2, 2, w)
        np.save(f"{name}/input_{w}.npy", x.numpy())
        with torch.no_grad():
            np.save(f"{name}/expected_{w}.npy", double(x.double()).numpy())
