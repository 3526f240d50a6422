"""The course's one reference list: every lecture's «Referencias» and docs/referencias.md.

Each paper is written once here, with one year (the year of the published version when
there is one), so two pages can never give the same paper two dates. A lecture writes
`<!-- generated: references-07 -->`; the build expands it to the entries whose
`lectures` include 7 (see `generated.GENERATORS`).
"""

from __future__ import annotations

import re
import unicodedata

# key: (authors, year, title, venue, id, lectures, short)
#   id: "arXiv:NNNN.NNNNN", "doi:..." or a URL; short: how the prose cites it ("He et al.").
REFERENCES: dict[str, dict] = {}


def _ref(key, authors, year, title, venue, ident, lectures, short=None):
    REFERENCES[key] = dict(authors=authors, year=year, title=title, venue=venue, id=ident,
                           lectures=tuple(lectures), short=short)


_ref("mcculloch1943", "W. S. McCulloch y W. Pitts", 1943, "A logical calculus of the ideas immanent in nervous activity",
     "*Bulletin of Mathematical Biophysics* 5(4):115–133", "doi:10.1007/BF02478259", [1], "McCulloch y Pitts")
_ref("rosenblatt1958", "F. Rosenblatt", 1958, "The perceptron: a probabilistic model for information storage and organization in the brain",
     "*Psychological Review* 65(6):386–408 (informe previo: Cornell Aeronautical Laboratory, 1957)", "doi:10.1037/h0042519", [1])
_ref("minsky1969", "M. Minsky y S. Papert", 1969, "Perceptrons", "MIT Press", None, [1], "Minsky y Papert")
_ref("rumelhart1986", "D. E. Rumelhart, G. E. Hinton y R. J. Williams", 1986, "Learning representations by back-propagating errors",
     "*Nature* 323:533–536", "doi:10.1038/323533a0", [1], "Rumelhart, Hinton y Williams")
_ref("lecun1989", "Y. LeCun, B. Boser, J. S. Denker, D. Henderson, R. E. Howard, W. Hubbard y L. D. Jackel", 1989,
     "Backpropagation applied to handwritten zip code recognition", "*Neural Computation* 1(4):541–551",
     "doi:10.1162/neco.1989.1.4.541", [1, 4])
_ref("cybenko1989", "G. Cybenko", 1989, "Approximation by superpositions of a sigmoidal function",
     "*Mathematics of Control, Signals and Systems* 2:303–314", "doi:10.1007/BF02551274", [1], "Cybenko")
_ref("hornik1991", "K. Hornik", 1991, "Approximation capabilities of multilayer feedforward networks",
     "*Neural Networks* 4(2):251–257", "doi:10.1016/0893-6080(91)90009-T", [1], "Hornik")
_ref("leshno1993", "M. Leshno, V. Y. Lin, A. Pinkus y S. Schocken", 1993,
     "Multilayer feedforward networks with a nonpolynomial activation function can approximate any function",
     "*Neural Networks* 6(6):861–867", "doi:10.1016/S0893-6080(05)80131-5", [1], "Leshno et al.")
_ref("robbins1951", "H. Robbins y S. Monro", 1951, "A stochastic approximation method",
     "*Annals of Mathematical Statistics* 22(3):400–407", "doi:10.1214/aoms/1177729586", [1], "Robbins y")
_ref("polyak1964", "B. T. Polyak", 1964, "Some methods of speeding up the convergence of iteration methods",
     "*USSR Computational Mathematics and Mathematical Physics* 4(5):1–17", "doi:10.1016/0041-5553(64)90137-5", [1], "Polyak")
_ref("kingma2015", "D. P. Kingma y J. Ba", 2015, "Adam: a method for stochastic optimization", "*ICLR 2015*",
     "arXiv:1412.6980", [1], "Kingma y Ba")
_ref("loshchilov2019", "I. Loshchilov y F. Hutter", 2019, "Decoupled weight decay regularization (AdamW)", "*ICLR 2019*",
     "arXiv:1711.05101", [1, 5])
_ref("loshchilov2017", "I. Loshchilov y F. Hutter", 2017, "SGDR: stochastic gradient descent with warm restarts (calendario coseno)",
     "*ICLR 2017*", "arXiv:1608.03983", [1])
_ref("goyal2017", "P. Goyal et al.", 2017, "Accurate, large minibatch SGD: training ImageNet in 1 hour (calentamiento)", "",
     "arXiv:1706.02677", [1, 4], "Goyal et al.")
_ref("smith2019", "L. N. Smith y N. Topin", 2019, "Super-convergence: very fast training of neural networks using large learning rates (un ciclo)",
     "*SPIE Artificial Intelligence and Machine Learning for Multi-Domain Operations Applications*", "arXiv:1708.07120", [1])
_ref("glorot2010", "X. Glorot e Y. Bengio", 2010, "Understanding the difficulty of training deep feedforward neural networks",
     "*AISTATS 2010*, PMLR 9:249–256", None, [1], "Glorot")
_ref("he2015init", "K. He, X. Zhang, S. Ren y J. Sun", 2015, "Delving deep into rectifiers: surpassing human-level performance on ImageNet classification (inicialización de He)",
     "*ICCV 2015*", "arXiv:1502.01852", [1])
_ref("goodfellow2016", "I. Goodfellow, Y. Bengio y A. Courville", 2016, "Deep Learning", "MIT Press (capítulos 6, 8 y 9)", None, [1, 2])
_ref("chollet2018", "F. Chollet", 2018, "Deep Learning with Python", "Manning", None, [1, 3])
_ref("hubel1962", "D. H. Hubel y T. N. Wiesel", 1962, "Receptive fields, binocular interaction and functional architecture in the cat's visual cortex",
     "*Journal of Physiology* 160(1):106–154", "doi:10.1113/jphysiol.1962.sp006837", [2], "Hubel y Wiesel")
_ref("fukushima1980", "K. Fukushima", 1980, "Neocognitron: a self-organizing neural network model for a mechanism of pattern recognition unaffected by shift in position",
     "*Biological Cybernetics* 36:193–202", "doi:10.1007/BF00344251", [2], "Fukushima")
_ref("lecun1998", "Y. LeCun, L. Bottou, Y. Bengio y P. Haffner", 1998, "Gradient-based learning applied to document recognition (LeNet-5)",
     "*Proceedings of the IEEE* 86(11):2278–2324", "doi:10.1109/5.726791", [2, 3, 4, 5], "LeCun, Bottou, Bengio y Haffner")
_ref("dumoulin2016", "V. Dumoulin y F. Visin", 2016, "A guide to convolution arithmetic for deep learning", "",
     "arXiv:1603.07285", [2, 6], "Dumoulin y Visin")
_ref("luo2016", "W. Luo, Y. Li, R. Urtasun y R. Zemel", 2016, "Understanding the effective receptive field in deep convolutional neural networks",
     "*NeurIPS 2016*", "arXiv:1701.04128", [2])
_ref("simonyan2015", "K. Simonyan y A. Zisserman", 2015, "Very deep convolutional networks for large-scale image recognition (VGG)",
     "*ICLR 2015*", "arXiv:1409.1556", [2, 3, 4], "Simonyan y Zisserman")
_ref("zeiler2014", "M. D. Zeiler y R. Fergus", 2014, "Visualizing and understanding convolutional networks (ZFNet)", "*ECCV 2014*",
     "arXiv:1311.2901", [2, 3, 4], "Zeiler y Fergus")
_ref("lee2009", "H. Lee, R. Grosse, R. Ranganath y A. Y. Ng", 2009,
     "Convolutional deep belief networks for scalable unsupervised learning of hierarchical representations", "*ICML 2009*",
     "doi:10.1145/1553374.1553453", [2], "Lee et al.")
_ref("lin2014nin", "M. Lin, Q. Chen y S. Yan", 2014, "Network in network", "*ICLR 2014*", "arXiv:1312.4400", [2, 4], "Lin et al.")
_ref("deng2009", "J. Deng, W. Dong, R. Socher, L.-J. Li, K. Li y L. Fei-Fei", 2009, "ImageNet: a large-scale hierarchical image database",
     "*CVPR 2009*", "doi:10.1109/CVPR.2009.5206848", [3], "Deng et al.")
_ref("russakovsky2015", "O. Russakovsky et al.", 2015, "ImageNet Large Scale Visual Recognition Challenge",
     "*International Journal of Computer Vision* 115:211–252", "doi:10.1007/s11263-015-0816-y", [3], "Russakovsky et al.")
_ref("krizhevsky2012", "A. Krizhevsky, I. Sutskever y G. E. Hinton", 2012, "ImageNet classification with deep convolutional neural networks (AlexNet)",
     "*NeurIPS 2012*; reimpreso en *Communications of the ACM* 60(6):84–90, 2017", "doi:10.1145/3065386", [3, 4, 5])
_ref("krizhevsky2009", "A. Krizhevsky", 2009, "Learning multiple layers of features from tiny images (CIFAR-10)",
     "Informe técnico, Universidad de Toronto", None, [3])
_ref("szegedy2015", "C. Szegedy et al.", 2015, "Going deeper with convolutions (GoogLeNet)", "*CVPR 2015*", "arXiv:1409.4842", [3, 4], "Szegedy et al.")
_ref("he2016", "K. He, X. Zhang, S. Ren y J. Sun", 2016, "Deep residual learning for image recognition (ResNet)", "*CVPR 2016*",
     "arXiv:1512.03385", [3, 4, 5, 7], "He et al.")
_ref("girshick2014", "R. Girshick, J. Donahue, T. Darrell y J. Malik", 2014,
     "Rich feature hierarchies for accurate object detection and semantic segmentation (R-CNN)", "*CVPR 2014*",
     "arXiv:1311.2524", [3, 6], "Girshick et al.")
_ref("redmon2016", "J. Redmon, S. Divvala, R. Girshick y A. Farhadi", 2016, "You only look once: unified, real-time object detection (YOLO)",
     "*CVPR 2016*", "arXiv:1506.02640", [3, 6], "Redmon et al.")
_ref("long2015", "J. Long, E. Shelhamer y T. Darrell", 2015, "Fully convolutional networks for semantic segmentation (FCN)",
     "*CVPR 2015*", "arXiv:1411.4038", [3, 6], "Long, Shelhamer y Darrell")
_ref("vinyals2015", "O. Vinyals, A. Toshev, S. Bengio y D. Erhan", 2015, "Show and tell: a neural image caption generator",
     "*CVPR 2015*", "arXiv:1411.4555", [3, 6], "Vinyals et al.")
_ref("zhou2018", "B. Zhou, A. Lapedriza, A. Khosla, A. Oliva y A. Torralba", 2018, "Places: a 10 million image database for scene recognition",
     "*IEEE TPAMI* 40(6):1452–1464", "doi:10.1109/TPAMI.2017.2723009", [3])
_ref("gurovich2019", "Y. Gurovich et al.", 2019, "Identifying facial phenotypes of genetic disorders using deep learning",
     "*Nature Medicine* 25:60–64", "doi:10.1038/s41591-018-0279-0", [3], "Gurovich et al.")
_ref("paszke2019", "A. Paszke et al.", 2019, "PyTorch: an imperative style, high-performance deep learning library",
     "*NeurIPS 2019*", "arXiv:1912.01703", [3])
_ref("krizhevsky2014", "A. Krizhevsky", 2014, "One weird trick for parallelizing convolutional neural networks", "",
     "arXiv:1404.5997", [4])
_ref("srivastava2014", "N. Srivastava, G. Hinton, A. Krizhevsky, I. Sutskever y R. Salakhutdinov", 2014,
     "Dropout: a simple way to prevent neural networks from overfitting", "*JMLR* 15:1929–1958", None, [4, 5])
_ref("nair2010", "V. Nair y G. E. Hinton", 2010, "Rectified linear units improve restricted Boltzmann machines", "*ICML 2010*",
     None, [4], "Nair y Hinton")
_ref("ioffe2015", "S. Ioffe y C. Szegedy", 2015, "Batch normalization: accelerating deep network training by reducing internal covariate shift",
     "*ICML 2015*", "arXiv:1502.03167", [4], "Ioffe y Szegedy")
_ref("santurkar2018", "S. Santurkar, D. Tsipras, A. Ilyas y A. Madry", 2018, "How does batch normalization help optimization?",
     "*NeurIPS 2018*", "arXiv:1805.11604", [4], "Santurkar et al.")
_ref("chollet2017", "F. Chollet", 2017, "Xception: deep learning with depthwise separable convolutions", "*CVPR 2017*",
     "arXiv:1610.02357", [4])
_ref("howard2017", "A. G. Howard et al.", 2017, "MobileNets: efficient convolutional neural networks for mobile vision applications", "",
     "arXiv:1704.04861", [4])
_ref("tan2019", "M. Tan y Q. V. Le", 2019, "EfficientNet: rethinking model scaling for convolutional neural networks", "*ICML 2019*",
     "arXiv:1905.11946", [4])
_ref("dosovitskiy2021", "A. Dosovitskiy et al.", 2021, "An image is worth 16x16 words: transformers for image recognition at scale (ViT)",
     "*ICLR 2021*", "arXiv:2010.11929", [4, 9], "Dosovitskiy et al.")
_ref("liu2022", "Z. Liu et al.", 2022, "A ConvNet for the 2020s (ConvNeXt)", "*CVPR 2022*", "arXiv:2201.03545", [4])
_ref("kerasvgg", "Keras", 2024, "keras/applications/vgg16.py", "código fuente de Keras, origen del fragmento VGG-16",
     "https://github.com/keras-team/keras", [4])
_ref("devries2017", "T. DeVries y G. W. Taylor", 2017, "Improved regularization of convolutional neural networks with Cutout", "",
     "arXiv:1708.04552", [5], "DeVries y Taylor")
_ref("zhong2020", "Z. Zhong, L. Zheng, G. Kang, S. Li e Y. Yang", 2020, "Random erasing data augmentation", "*AAAI 2020*",
     "arXiv:1708.04896", [5], "Zhong et al.")
_ref("zhang2018", "H. Zhang, M. Cisse, Y. N. Dauphin y D. Lopez-Paz", 2018, "mixup: beyond empirical risk minimization", "*ICLR 2018*",
     "arXiv:1710.09412", [5])
_ref("cubuk2020", "E. D. Cubuk, B. Zoph, J. Shlens y Q. V. Le", 2020, "RandAugment: practical automated data augmentation with a reduced search space",
     "*CVPR Workshops 2020*", "arXiv:1909.13719", [5])
_ref("roschewitz2024", "M. Roschewitz, F. De Sousa Ribeiro, T. Xia, G. Khara y B. Glocker", 2024,
     "Robust image representations with counterfactual contrastive learning", "", "arXiv:2409.10365", [5, 9], "Roschewitz et al.")
_ref("yosinski2014", "J. Yosinski, J. Clune, Y. Bengio y H. Lipson", 2014, "How transferable are features in deep neural networks?",
     "*NeurIPS 2014*", "arXiv:1411.1792", [5])
_ref("tabik2020", "S. Tabik, A. Gómez-Ríos, J. L. Martín-Rodríguez, I. Sevillano-García, M. Rey-Area, D. Charte, E. Guirado, J. L. Suárez, "
     "J. Luengo, M. A. Valero-González, P. García-Villanova, E. Olmedo-Sánchez y F. Herrera", 2020,
     "COVIDGR dataset and COVID-SDNet methodology for predicting COVID-19 based on chest X-ray images",
     "*IEEE Journal of Biomedical and Health Informatics*", "doi:10.1109/JBHI.2020.3037127", [5, 7], "Tabik et al.")
_ref("luengo2022", "J. Luengo, R. Moreno, I. Sevillano, D. Charte, A. Peláez-Vegas, M. Fernández-Moreno, P. Mesejo y F. Herrera", 2022,
     "A tutorial on the segmentation of metallographic images: taxonomy, new MetalDAM dataset, deep learning-based ensemble model, "
     "experimental analysis and challenges", "*Information Fusion*", "doi:10.1016/j.inffus.2021.09.018", [5, 6], "Luengo et al.")
_ref("ronneberger2015", "O. Ronneberger, P. Fischer y T. Brox", 2015, "U-Net: convolutional networks for biomedical image segmentation",
     "*MICCAI 2015*", "arXiv:1505.04597", [6, 8], "Ronneberger, Fischer y Brox")
_ref("milletari2016", "F. Milletari, N. Navab y S.-A. Ahmadi", 2016,
     "V-Net: fully convolutional neural networks for volumetric medical image segmentation (pérdida Dice)", "*3DV 2016*",
     "arXiv:1606.04797", [6], "Milletari et al.")
_ref("ren2015", "S. Ren, K. He, R. Girshick y J. Sun", 2015, "Faster R-CNN: towards real-time object detection with region proposal networks (anclas)",
     "*NeurIPS 2015*", "arXiv:1506.01497", [6])
_ref("he2017", "K. He, G. Gkioxari, P. Dollár y R. Girshick", 2017, "Mask R-CNN", "*ICCV 2017*", "arXiv:1703.06870", [6])
_ref("everingham2010", "M. Everingham, L. Van Gool, C. K. I. Williams, J. Winn y A. Zisserman", 2010,
     "The PASCAL Visual Object Classes (VOC) challenge (mAP, mIoU)", "*International Journal of Computer Vision* 88:303–338",
     "doi:10.1007/s11263-009-0275-4", [6])
_ref("lin2014coco", "T.-Y. Lin et al.", 2014, "Microsoft COCO: common objects in context", "*ECCV 2014*", "arXiv:1405.0312", [6])
_ref("carion2020", "N. Carion et al.", 2020, "End-to-end object detection with transformers (DETR)", "*ECCV 2020*",
     "arXiv:2005.12872", [6])
_ref("goodfellow2014", "I. Goodfellow, J. Pouget-Abadie, M. Mirza, B. Xu, D. Warde-Farley, S. Ozair, A. Courville e Y. Bengio", 2014,
     "Generative adversarial nets", "*NeurIPS 2014*", "arXiv:1406.2661", [7], "Goodfellow et al.")
_ref("radford2016", "A. Radford, L. Metz y S. Chintala", 2016,
     "Unsupervised representation learning with deep convolutional generative adversarial networks (DCGAN)", "*ICLR 2016*",
     "arXiv:1511.06434", [7], "Radford, Metz y Chintala")
_ref("mirza2014", "M. Mirza y S. Osindero", 2014, "Conditional generative adversarial nets", "", "arXiv:1411.1784", [7], "Mirza y Osindero")
_ref("selvaraju2017", "R. R. Selvaraju, M. Cogswell, A. Das, R. Vedantam, D. Parikh y D. Batra", 2017,
     "Grad-CAM: visual explanations from deep networks via gradient-based localization", "*ICCV 2017*", "arXiv:1610.02391", [7],
     "Selvaraju et al.")
_ref("zhou2016", "B. Zhou, A. Khosla, A. Lapedriza, A. Oliva y A. Torralba", 2016, "Learning deep features for discriminative localization (CAM)",
     "*CVPR 2016*", "arXiv:1512.04150", [7])
_ref("kingma2014", "D. P. Kingma y M. Welling", 2014, "Auto-encoding variational Bayes (VAE)", "*ICLR 2014*", "arXiv:1312.6114", [8, 9],
     "Kingma y Welling")
_ref("ho2020", "J. Ho, A. Jain y P. Abbeel", 2020, "Denoising diffusion probabilistic models (DDPM)", "*NeurIPS 2020*",
     "arXiv:2006.11239", [8, 9], "Ho, Jain y Abbeel")
_ref("song2021", "J. Song, C. Meng y S. Ermon", 2021, "Denoising diffusion implicit models (DDIM)", "*ICLR 2021*", "arXiv:2010.02502", [8, 9],
     "Song et al.")
_ref("nichol2021", "A. Nichol y P. Dhariwal", 2021, "Improved denoising diffusion probabilistic models", "*ICML 2021*",
     "arXiv:2102.09672", [8], "Nichol y Dhariwal")
_ref("ho2022", "J. Ho y T. Salimans", 2022, "Classifier-free diffusion guidance", "", "arXiv:2207.12598", [8, 9], "Ho y Salimans")
_ref("vaswani2017", "A. Vaswani et al.", 2017, "Attention is all you need", "*NeurIPS 2017*", "arXiv:1706.03762", [9], "Vaswani et al.")
_ref("rombach2022", "R. Rombach, A. Blattmann, D. Lorenz, P. Esser y B. Ommer", 2022,
     "High-resolution image synthesis with latent diffusion models (Stable Diffusion)", "*CVPR 2022*", "arXiv:2112.10752", [5, 8, 9],
     "Rombach et al.")
_ref("radford2021", "A. Radford et al.", 2021, "Learning transferable visual models from natural language supervision (CLIP)",
     "*ICML 2021*", "arXiv:2103.00020", [9], "Radford et al.")
_ref("ba2016", "J. L. Ba, J. R. Kiros y G. E. Hinton", 2016, "Layer normalization", "", "arXiv:1607.06450", [9], "Ba et al.")
_ref("hendrycks2016", "D. Hendrycks y K. Gimpel", 2016, "Gaussian error linear units (GELUs)", "", "arXiv:1606.08415", [9],
     "Hendrycks y Gimpel")
_ref("xiong2020", "R. Xiong, Y. Yang, D. He, K. Zheng, S. Zheng, C. Xing, H. Zhang, Y. Lan, L. Wang y T.-Y. Liu", 2020,
     "On layer normalization in the transformer architecture (normalización previa)", "*ICML 2020*", "arXiv:2002.04745", [9],
     "Xiong et al.")
_ref("xiao2021", "T. Xiao, M. Singh, E. Mintun, T. Darrell, P. Dollár y R. Girshick", 2021, "Early convolutions help transformers see better",
     "*NeurIPS 2021*", "arXiv:2106.14881", [9], "Xiao et al.")
_ref("oord2018", "A. van den Oord, Y. Li y O. Vinyals", 2018, "Representation learning with contrastive predictive coding (InfoNCE)", "",
     "arXiv:1807.03748", [9], "van den Oord et al.")
_ref("schuhmann2022", "C. Schuhmann et al.", 2022, "LAION-5B: an open large-scale dataset for training next generation image-text models",
     "*NeurIPS 2022, Datasets and Benchmarks*", "arXiv:2210.08402", [9], "Schuhmann et al.")
_ref("meng2022", "C. Meng, Y. He, Y. Song, J. Song, J. Wu, J.-Y. Zhu y S. Ermon", 2022,
     "SDEdit: guided image synthesis and editing with stochastic differential equations (img2img)", "*ICLR 2022*",
     "arXiv:2108.01073", [9], "Meng et al.")
_ref("heusel2017", "M. Heusel, H. Ramsauer, T. Unterthiner, B. Nessler y S. Hochreiter", 2017,
     "GANs trained by a two time-scale update rule converge to a local Nash equilibrium (FID)", "*NeurIPS 2017*",
     "arXiv:1706.08500", [8], "Heusel et al.")


def _link(ident: str | None) -> str:
    if not ident:
        return ""
    if ident.startswith("arXiv:"):
        return f" [{ident}](https://arxiv.org/abs/{ident[6:]})"
    if ident.startswith("doi:"):
        return f" [{ident}](https://doi.org/{ident[4:]})"
    return f" <{ident}>"


def _surname(author: str) -> str:
    """«He» from «K. He», «van den Oord» from «A. van den Oord», «Lin» from «T.-Y. Lin»."""
    return re.sub(r"^(?:[A-ZÀ-Þ]\.(?:\s+|-))+", "", author).strip()


def short_citation(key: str) -> str:
    """How a slide cites the paper: «Fukushima (1980)», «Kingma y Ba (2015)», «He et al. (2016)».

    From the authors as written here (the build emits it as the entry's `data-cite`, so
    the slides never parse it back out of the rendered text)."""
    r = REFERENCES[key]
    names = r["authors"]
    et_al = names.endswith(" et al.")
    authors = [a for a in re.split(r",\s*|\s+[ye]\s+", names.removesuffix(" et al.").strip()) if a]
    if et_al or len(authors) > 2:
        who = f"{_surname(authors[0])} et al."
    elif len(authors) == 2:
        who = f"{_surname(authors[0])} y {_surname(authors[1])}"
    else:
        who = _surname(authors[0])
    return f"{who} ({r['year']})"


def entry(key: str, after: str = "") -> str:
    """One reference as a Markdown list item (`after`: text at its end), with its short
    citation as the item's `data-cite` (attr_list, on the item's own last line)."""
    r = REFERENCES[key]
    venue = f" {r['venue']}." if r["venue"] else ""
    return (f"- {r['authors']} ({r['year']}). «{r['title']}».{venue}{_link(r['id'])}{after}\n"
            f'  {{: data-cite="{short_citation(key)}" }}')


def sort_key(key: str) -> tuple:
    """Alphabetical by the first author's surname, as a reader looks it up: «Lin et al.»
    under L (not under «al.»), «van den Oord» under O, accents ignored (Gómez with G)."""
    names = REFERENCES[key]["authors"].removesuffix(" et al.").strip()
    first = re.split(r",\s*|\s+[ye]\s+", names)[0]
    surname = _surname(first).split()[-1]
    plain = unicodedata.normalize("NFKD", surname).encode("ascii", "ignore").decode()
    return (plain.lower(), REFERENCES[key]["year"])


def _sorted(keys):
    return sorted(keys, key=sort_key)


def for_lecture(number: int) -> str:
    """The references of one lecture, alphabetical by first author."""
    keys = [k for k, r in REFERENCES.items() if number in r["lectures"]]
    return "\n".join(entry(k) for k in _sorted(keys))


def full_list() -> str:
    """Every reference of the course, with the lectures that cite it."""
    lines = []
    for k in _sorted(REFERENCES):
        lectures = ", ".join(str(n) for n in REFERENCES[k]["lectures"])
        lines.append(entry(k, f" {'Lecciones' if len(REFERENCES[k]['lectures']) > 1 else 'Lección'} {lectures}."))
    return "\n".join(lines)


def _lecture_generator(number: int):
    def render() -> str:
        return for_lecture(number)
    render.__name__ = f"lecture_{number:02d}"
    return render


for _n in range(1, 10):
    globals()[f"lecture_{_n:02d}"] = _lecture_generator(_n)
