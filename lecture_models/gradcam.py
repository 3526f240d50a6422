"""Grad-CAM: where in the image a CNN looked for a class.

R. R. Selvaraju et al., "Grad-CAM: Visual explanations from deep networks via
gradient-based localization", ICCV 2017, arXiv:1610.02391.

For a class c and a convolutional layer with maps A^k (k = channel):
    alpha_k = mean over pixels of d y^c / d A^k          (eq. 1: importance of map k)
    L^c     = ReLU(sum_k alpha_k A^k)                     (eq. 2: coarse heat map)
upsampled to the input size. With `counterfactual=True` the gradients are
negated (section 5.2 of the paper): regions that argue *against* class c.
For a network that ends in global average pooling + one linear layer, Grad-CAM
equals CAM (Zhou et al. 2016) up to a constant: the tests check exactly that.
"""
import torch
import torch.nn.functional as F


def grad_cam(model, layer, x, target=None, *, counterfactual: bool = False):
    """Heat maps [N, H, W] in [0, 1] (1 = most important) and the logits [N, classes].

    model: any classifier; layer: one of its modules whose output is [N, K, h, w];
    target: class index (int) or tensor [N] per image; None = the predicted class.
    """
    # --8<-- [start:grad-cam-gradient]
    store = {}
    hook = layer.register_forward_hook(lambda module, inputs, output: store.__setitem__("a", output))
    was_training = model.training
    model.eval()
    try:
        with torch.enable_grad():
            logits = model(x.detach().clone().requires_grad_(True))
            if target is None:
                target = logits.argmax(1)
            target = torch.as_tensor(target, device=logits.device).expand(len(x))
            score = logits.gather(1, target[:, None]).sum()  # las imágenes son independientes: un backward para todas
            (grads,) = torch.autograd.grad(score, store["a"])
    finally:
        hook.remove()
        model.train(was_training)
    # --8<-- [end:grad-cam-gradient]
    # --8<-- [start:grad-cam-equations]
    acts = store["a"].detach()
    if counterfactual:
        grads = -grads
    alpha = grads.mean(dim=(2, 3), keepdim=True)  # ec. 1
    cam = F.relu((alpha * acts).sum(1, keepdim=True))  # ec. 2
    cam = F.interpolate(cam, size=x.shape[-2:], mode="bilinear", align_corners=False)[:, 0]
    cam = cam / cam.amax(dim=(1, 2), keepdim=True).clamp_min(1e-12)
    # --8<-- [end:grad-cam-equations]
    return cam, logits.detach()
