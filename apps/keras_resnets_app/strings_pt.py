"""The app's Portuguese texts: the keys and ``{placeholders}`` of ``strings_en``.

Class names come from the library (``keras_resnets.data.dataset_info``); CLASS_NAMES
translates them, keyed by their English name.
"""

CLASS_NAMES = {
    "background": "fundo",
    "T-shirt/top": "Camiseta/top",
    "Trouser": "Calça",
    "Pullover": "Pulôver",
    "Dress": "Vestido",
    "Coat": "Casaco",
    "Sandal": "Sandália",
    "Shirt": "Camisa",
    "Sneaker": "Tênis",
    "Bag": "Bolsa",
    "Ankle boot": "Bota de cano curto",
}

STRINGS = {
    # the navigation
    "nav.architectures": "Arquiteturas",
    "nav.deploy": "Implantar / Experimente",
    "nav.depth": "Profundidade",
    "nav.paths": "Caminhos",
    "nav.phone": "Rode no seu celular",
    "nav.segmentation": "Segmentação",
    "nav.signal": "Propagação do sinal",

    # words several pages use
    "common.model": "modelo",
    "common.model_select": "Modelo",
    "common.network": "rede",
    "common.plain": "plana",
    "common.residual": "residual",
    "common.test_accuracy": "acurácia de teste",

    # failures and missing files (alerts.py)
    "alerts.failed": "{what} falhou: {err}",
    "alerts.missing": "{what} ainda não existe: falta `{path}`.",
    "alerts.unreadable": "{what}: não foi possível ler `{path}` ({error}).",

    # refused uploads (imaging.py)
    "imaging.empty": "O arquivo está vazio.",
    "imaging.not_an_image": (
        "Este arquivo não é uma imagem legível (PNG, JPEG, GIF, BMP, TIFF, WebP)."),
    "imaging.too_many_bytes": "O arquivo é maior que o limite de {limit}.",
    "imaging.too_many_pixels": (
        "A imagem {size}é grande demais: no máximo {limit} pixels (4096×4096)."),

    # pages/depth.py
    "depth.budget": "Todas as redes tiveram o mesmo orçamento: {parts}.",
    "depth.budget_all_images": (
        "todas as 54.000 imagens de treino (outras 6.000 separadas para validação)"),
    "depth.budget_augmented": "com recortes e espelhamentos aleatórios",
    "depth.budget_batches": "lotes de {batch}",
    "depth.budget_epochs": "{epochs} épocas com {images} ({dataset})",
    "depth.budget_not_augmented": "sem aumento de dados",
    "depth.budget_schedule": "taxa de aprendizado com agenda {recipe}",
    "depth.budget_short": (
        "Um orçamento curto: basta para ver a tendência, mas não convergiu — o artigo treina "
        "por cerca de 160 épocas, e seus erros são bem menores."),
    "depth.budget_some_images": (
        "{limit} das 54.000 imagens de treino (outras 6.000 separadas para validação)"),
    "depth.budget_wall_time": "Todas as execuções levaram {minutes:.0f} min em 2 núcleos de CPU.",
    "depth.choose_at_least_one_curve": "Escolha ao menos uma curva acima para ver o gráfico.",
    "depth.choose_curve": "Escolha uma curva",
    "depth.command": "Comando: ",
    "depth.compare_at_depth": "Comparar na profundidade",
    "depth.curve": "curva",
    "depth.curves_caption": (
        "Tracejado: erro de treino; contínuo: {solid}. Linhas mais escuras são redes mais "
        "profundas. A linha cinza pontilhada em 90 % é o acaso: com dez classes, chutar erra "
        "nove vezes em dez."),
    "depth.effect": (
        "De {shallowest} a {deepest} camadas o erro de treino da rede plana {plain_trend}, o da "
        "residual {residual_trend}: esta execução {verdict} o problema da degradação."),
    "depth.effect_not_shown": "não mostra",
    "depth.effect_plain_flat": "não sobe",
    "depth.effect_plain_rises": "sobe",
    "depth.effect_residual_flat": "não sobe",
    "depth.effect_residual_rises": "sobe",
    "depth.effect_shown": "mostra",
    "depth.epoch": "época",
    "depth.error": "erro",
    "depth.experiment_how": "A execução ao vivo abaixo funciona.",
    "depth.experiment_what": "O experimento de degradação",
    "depth.figure_6": "Erro por época (He et al. 2015, Fig. 6)",
    "depth.final": "No fim do treino",
    "depth.final_caption": (
        "Erro de treino: medido depois do treino em 5.000 imagens de treino, em modo de "
        "inferência (por isso pode diferir do último ponto da linha tracejada, que é a média da "
        "última época enquanto os pesos ainda mudavam). Erro de teste: as 10.000 imagens de "
        "teste."),
    "depth.idea": (
        "Empilhar camadas não deveria piorar nada: as camadas extras poderiam aprender a "
        "identidade. Mas uma rede **plana** mais profunda termina com *erro de treino maior* "
        "que uma mais rasa — não é sobreajuste, é um problema de otimização. Um bloco "
        "**residual** aprende só a correção, $h = x + f(x)$: a identidade sai de graça ($f = "
        "0$), e a profundidade volta a ajudar."),
    "depth.live_building": "construindo…",
    "depth.live_caption": (
        "Treina uma rede plana e sua gêmea residual (mesmas camadas, mesmos pesos iniciais onde "
        "coincidem), uma época de cada por vez, com até mil imagens do Fashion-MNIST, aqui e "
        "agora, na CPU. Pequena de propósito: com os valores padrão leva menos de um minuto em "
        "2 núcleos de CPU e mostra as duas redes aprendendo (o erro cai dos 90 % do acaso para "
        "cerca de um terço). Neste tamanho a profundidade ainda quase não importa: a degradação "
        "precisa de redes mais profundas e de mais treino, como no experimento acima."),
    "depth.live_chart_caption": (
        "Erro de treino: média de cada época durante o treino (tracejado); erro de teste: 500 "
        "imagens de teste depois de cada época, com as estatísticas da BatchNorm recalculadas "
        "nas imagens de treino (contínuo). 90 % de erro é o acaso."),
    "depth.live_chart_title": "esta execução",
    "depth.live_depth": "Profundidade",
    "depth.live_done": "pronto em {seconds:.0f} s",
    "depth.live_epochs": "Épocas",
    "depth.live_images": "Imagens de treino",
    "depth.live_loading_what": "Carregar o Fashion-MNIST",
    "depth.live_press_train": "Clique em **Treinar** para começar.",
    "depth.live_run": "Execução ao vivo",
    "depth.live_stop": "Parar",
    "depth.live_stopped": "Parado. As épocas que as redes concluíram estão abaixo.",
    "depth.live_stopped_early": "Parado. Nenhuma época tinha terminado ainda.",
    "depth.live_test_error": "{network}: erro de teste",
    "depth.live_train": "Treinar",
    "depth.live_training_error": "{network}: erro de treino",
    "depth.live_width": "Largura",
    "depth.live_width_help": "Multiplicador dos filtros 16/32/64.",
    "depth.no_runs": "sem a lista `runs`",
    "depth.plain_networks": "redes planas",
    "depth.residual_networks_resnets": "redes residuais (ResNets)",
    "depth.schema_error": (
        "`{file}` do experimento de degradação não segue o formato de resultados: {err}"),
    "depth.show": "Mostrar",
    "depth.solid_test": "erro de teste (as 10.000 imagens de teste)",
    "depth.test_error": "erro de teste",
    "depth.title": "Profundidade: o problema da degradação",
    "depth.training_error": "erro de treino",
    "depth.validation_error": "erro de validação",
    "depth.validation_note": (
        "Este arquivo não tem erro de teste por época, então as linhas contínuas são o erro de "
        "**validação**, medido durante o treino em 6.000 imagens de treino separadas, com as "
        "médias móveis da BatchNorm. Numa execução tão curta essas médias ficam atrasadas em "
        "relação aos pesos, e o erro de validação fica bem acima do erro de teste medido no fim "
        "(abaixo), depois de recalcular as estatísticas da BatchNorm."),

    # pages/signal.py
    "signal.activation_variance": "variância da ativação",
    "signal.backward_gradient_norm": "Volta: norma do gradiente",
    "signal.batchnorm_note": (
        "A BatchNorm não muda estes números: a sonda roda a rede em modo de inferência, em que "
        "na inicialização a BatchNorm usa suas médias móveis iniciais (média 0, variância 1) e "
        "é a identidade."),
    "signal.block_axis": "bloco residual (0 = entrada)",
    "signal.block_axis_plain": "bloco, sem o atalho (0 = entrada)",
    "signal.correlation_metric": "{name}: correlação entre gradientes vizinhos",
    "signal.correlation_note": (
        "1 quer dizer que entradas vizinhas têm o mesmo gradiente, 0 gradientes sem relação. "
        "Aqui a rede plana dá {plain}, a residual {residual}."),
    "signal.depth": "Profundidade (6n+2)",
    "signal.dy_dt_axis": "dy/dt (escala ±1)",
    "signal.forward_activation_variance": "Ida: variância das ativações",
    "signal.gradient_ratio": "Norma do gradiente, primeira / última",
    "signal.gradients_spinner": "Calculando gradientes…",
    "signal.idea": (
        "Antes de treinar, como o sinal flui? Com a inicialização de He, um bloco residual sem "
        "normalização soma um ramo do tamanho da entrada e não correlacionado com ela: "
        "$\\mathrm{Var}(x + f(x)) \\approx 2\\,\\mathrm{Var}(x)$, então a variância **dobra a "
        "cada bloco** ($2^L$). A **BatchNorm** normaliza cada canal com as estatísticas do lote "
        "no treino (depois uma escala $\\gamma$ e um deslocamento $\\beta$ aprendidos por "
        "canal; na inferência usa médias móveis). Dentro do ramo ela faz cada bloco somar mais "
        "ou menos a mesma quantidade, então dentro de um estágio a variância cresce **quase "
        "linearmente** em vez de dobrar; no primeiro bloco de cada estágio o atalho de projeção "
        "recomeça, o que desenha um dente de serra. Os gradientes contam a mesma história de "
        "trás para frente; e ao longo de uma linha de entradas o gradiente de uma rede plana "
        "profunda se **estilhaça** em ruído branco, enquanto o de uma ResNet se estilhaça bem "
        "mais devagar com a profundidade (Balduzzi et al. 2017)."),
    "signal.initialization": "Inicialização",
    "signal.layer_axis": "camada com pesos (profundidade)",
    "signal.log_scale": " (escala log)",
    "signal.no_normalization": ", sem normalização",
    "signal.pre_activation": "Pré-ativação",
    "signal.preact_help": "Blocos BN-ReLU-conv com caminho identidade limpo (He et al. 2016).",
    "signal.probe_what": "A sonda",
    "signal.probing_spinner": "Sondando a rede na inicialização…",
    "signal.residual_shatters_note": (
        "Com profundidade suficiente, uma rede residual sem normalização também se estilhaça: "
        "sua correlação cai bem mais devagar com a profundidade que a de uma rede plana (cerca "
        "de 1/√L contra 2^−L), mas cai."),
    "signal.shattered_caption": (
        "A derivada dy/dt da soma dos logits ao longo de uma linha de 128 entradas próximas "
        "x(t) = x₀ + t·d, para esta rede e sua gêmea. Suave (ruído marrom): o gradiente tem "
        "sentido localmente; serrilhado (ruído branco): está estilhaçado."),
    "signal.shattered_gradients": "Gradientes estilhaçados",
    "signal.shattered_what": "A sonda de gradientes estilhaçados",
    "signal.skip_connections": "Conexões residuais",
    "signal.title": "Propagação do sinal na inicialização",
    "signal.variance_growth": "Crescimento da variância por bloco",
    "signal.variance_ratio": "Variância do último bloco / primeiro",

    # pages/paths.py
    "paths.block_removed": "bloco removido",
    "paths.blocks_help": "A ResNet-20 tem 9, a ResNet-56 tem 27, a ResNet-110 tem 54.",
    "paths.choose_model": "Escolha um modelo",
    "paths.experiment_what": "O experimento de lesão",
    "paths.first_blocks": "Os primeiros {shown} de {n} blocos; os outros repetem o padrão.",
    "paths.idea": (
        "Desenrole $n$ blocos residuais $h_i = h_{i-1} + f_i(h_{i-1})$: em cada bloco um "
        "caminho pega o atalho ou passa por $f_i$, então há **$2^n$ caminhos** da entrada à "
        "saída. Um caminho que passa por $k$ ramos residuais tem comprimento $k$, e "
        "$\\binom{n}{k}$ caminhos o têm: os comprimentos são **binomiais**, centrados em $n/2$ "
        "— a maior parte do sinal percorre caminhos bem mais curtos que a rede. Por isso apagar "
        "um bloco de uma ResNet treinada remove só metade dos caminhos, os outros continuam "
        "funcionando; apagar uma camada de uma rede plana quebra seu único caminho."),
    "paths.identity": "identidade",
    "paths.length": "comprimento",
    "paths.length_axis": "ramos residuais no caminho (k)",
    "paths.lesion_caption": (
        "Tracejado: a acurácia da rede intacta. Os blocos de uma rede plana que mudam a forma "
        "não podem ser removidos e não aparecem."),
    "paths.lesion_header": "Estudo de lesão: remova um bloco",
    "paths.lesion_metric": "{model}: acurácia média sem um bloco",
    "paths.mean_path_length": "Comprimento médio",
    "paths.models": "Modelos",
    "paths.no_lesion_results": (
        "`{path}` não tem resultados de lesão (esperado {{\"resnet56\": [{{\"block\": ..., "
        "\"accuracy\": ...}}], ...}})."),
    "paths.path": "caminho",
    "paths.path_lengths": "Comprimentos dos caminhos",
    "paths.paths_2n": "Caminhos 2ⁿ",
    "paths.residual_blocks_n": "Blocos residuais n",
    "paths.share_axis": "fração dos caminhos C(n,k)/2ⁿ",
    "paths.std_length": "Desvio do comprimento",
    "paths.title": "Caminhos: uma ResNet é um conjunto",
    "paths.unrolled_view": "Visão desenrolada",
    "paths.vs_intact": "vs intacta",

    # pages/architectures.py
    "architectures.basic": "básico",
    "architectures.big": (
        "Uma rede grande: construí-la demora na primeira vez (depois fica guardada)."),
    "architectures.bottleneck": "gargalo",
    "architectures.build": "Construir {name}",
    "architectures.build_twin_what": "Construir a gêmea {twin_label}",
    "architectures.build_what": "Construir {name}",
    "architectures.building_spinner": "Construindo {name}…",
    "architectures.building_twin_spinner": "Construindo {twin_label}…",
    "architectures.built_before": "Construída antes; mostrada da memória.",
    "architectures.built_now": "Construída e perfilada em {seconds} s.",
    "architectures.channels": "canais",
    "architectures.compare_twin": "Comparar com a gêmea plana",
    "architectures.concat": "concatena",
    "architectures.dense_input": "x (todas as anteriores)",
    "architectures.dense_layer": "camada densa",
    "architectures.depth_weight_layers": "Profundidade (camadas com pesos)",
    "architectures.difference_projections": (
        "Os parâmetros diferem em {diff}: os atalhos de projeção (convoluções 1×1 onde um "
        "estágio muda de forma); atalhos identidade não têm pesos."),
    "architectures.difference_unet": (
        "Os parâmetros diferem em {diff}: as características concatenadas do codificador "
        "alargam a entrada de cada convolução do decodificador."),
    "architectures.flops_help": "2 × multiplicações-somas das convoluções e densas, por imagem.",
    "architectures.idea": (
        "Um só registro constrói todas as redes: **ResNets** (blocos básicos de duas "
        "convoluções 3×3, ou gargalos 1×1 → 3×3 → 1×1, mais baratos quando largos; pós- ou "
        "pré-ativação), suas **gêmeas planas** (as mesmas camadas sem o $+x$), **DenseNets** "
        "(cada camada *concatena* sua saída a tudo o que veio antes, $x_\\ell = [x_0, \\dots, "
        "H_\\ell(x_{\\ell-1})]$) e **U-Nets** (um codificador–decodificador cujas conexões de "
        "atalho levam os detalhes finos adiante). Um atalho **identidade** não acrescenta pesos "
        "e quase nenhum FLOP, mas dobra o número de caminhos a cada bloco; onde um estágio muda "
        "a largura ou a resolução, um atalho de **projeção** (uma convolução 1×1, como nas "
        "ResNets de ImageNet) acrescenta pesos — por isso a resnet50 tem 25,6 M parâmetros e "
        "sua gêmea plana 22,8 M."),
    "architectures.in_twin": "…na gêmea",
    "architectures.input_and_layers": "Entrada {shape}, {layers} camadas. {how}",
    "architectures.no_skip": "sem atalho",
    "architectures.no_twin": (
        "{name} não tem gêmea plana no registro (as concatenações de uma DenseNet são sua "
        "conectividade)."),
    "architectures.one_block": "Um bloco",
    "architectures.parameters": "Parâmetros",
    "architectures.parameters_column": "parâmetros",
    "architectures.paths_column": "caminhos",
    "architectures.paths_metric": "Caminhos entrada–saída",
    "architectures.pool_dense": "pool + densa",
    "architectures.residual_blocks": "blocos residuais",
    "architectures.resnet_encoder": "codificador ResNet",
    "architectures.shortcut": "identidade / projeção",
    "architectures.stages": "Estágios",
    "architectures.stem": "entrada",
    "architectures.stride": "passo",
    "architectures.title": "Arquiteturas",
    "architectures.up": "amplia",
    "architectures.very_large": (
        "A {name} é muito grande: construí-la e perfilá-la (e a gêmea) leva minutos numa CPU de "
        "2 núcleos — a resnet1202 levou cerca de 4 minutos. O resultado fica guardado e aparece "
        "na hora da próxima vez."),
    "architectures.without_skips": "{name} sem atalhos",

    # pages/deploy.py
    "deploy.budget_augmented": "com aumento de dados",
    "deploy.budget_epochs": "{epochs} épocas",
    "deploy.budget_images": "{images} imagens",
    "deploy.budget_not_augmented": "sem aumento de dados",
    "deploy.bundled_image": "Imagem incluída",
    "deploy.class": "classe",
    "deploy.downloads_caption": (
        "labels.txt: os nomes das classes, um por linha, na ordem das saídas do modelo. Os "
        "outros arquivos de `saved_models/{name}/` guardam as opções e verificações da "
        "exportação."),
    "deploy.file": "arquivo",
    "deploy.file_size": "tamanho do arquivo",
    "deploy.files_caption": (
        "Medido nas imagens de teste quando cada arquivo foi exportado. A diferença de "
        "probabilidade é a maior mudança de qualquer probabilidade de classe em qualquer imagem "
        "de teste: cerca de 10⁻⁶ no float32 (arredondamento), até alguns décimos no int8 (pesos "
        "e ativações de 8 bits mudam as probabilidades), e ainda assim o arquivo int8 escolhe a "
        "mesma classe que o Keras em quase todas as imagens."),
    "deploy.files_for_phone": "Os arquivos para o celular",
    "deploy.how_each_model_was_trained": "Como cada modelo foi treinado",
    "deploy.idea": (
        "Um modelo Keras treinado vira um arquivo **.tflite** que roda num celular com o "
        "LiteRT. **float32** mantém os pesos como estão; **int8** quantiza pesos e ativações em "
        "inteiros de 8 bits (calibrados com algumas centenas de imagens de treino): cerca de 4× "
        "menor e mais rápido em CPUs de celular, ao custo de uma pequena diferença nas saídas. "
        "Os modelos recebem pixels brutos 0..255: a escala está dentro deles. Escolha uma "
        "imagem e compare."),
    "deploy.image": "Imagem",
    "deploy.incomplete": " (incompleto)",
    "deploy.invert": "Inverter (no Fashion-MNIST a peça é clara sobre preto)",
    "deploy.latency": "latência mediana / p90 (1 thread)",
    "deploy.loading_what": "Carregar",
    "deploy.max_abs_diff": "maior diferença de probabilidade vs Keras",
    "deploy.metrics_unreadable": "`{name}/metrics.json` não pode ser lido: {metrics_error}",
    "deploy.no": "não",
    "deploy.no_classifier": (
        "Ainda não há classificador em `{root}` (esperado `<nome>/model.keras` e "
        "`<nome>/model_float32.tflite` para {names}). O treino e a exportação os produzem."),
    "deploy.no_fashion_mnist": (
        "O Fashion-MNIST não está disponível aqui ({err}); envie uma imagem."),
    "deploy.no_file_to_download_yet": "Ainda não há arquivo para baixar.",
    "deploy.budget_unknown": "não registrado",
    "deploy.not_a_ranking": (
        "As acurácias não são uma classificação das arquiteturas: os modelos tiveram orçamentos "
        "de treino diferentes ({budgets}), e um orçamento menor dá uma acurácia menor qualquer "
        "que seja a arquitetura. O MODEL_CARD.md de cada pasta diz como o modelo foi feito."),
    "deploy.same_budget": (
        "Todos os modelos tiveram o mesmo orçamento de treino ({budget}), então as acurácias "
        "comparam as arquiteturas. O MODEL_CARD.md de cada pasta diz como o modelo foi feito."),
    "deploy.not_there_yet": "Ainda não existe.",
    "deploy.prediction": "predição",
    "deploy.prediction_caption": "p = {probability} · {ms} ms aqui (mediana de 10) · {size}",
    "deploy.prediction_what": "A predição",
    "deploy.probability": "probabilidade",
    "deploy.source_fashion_mnist": "Imagem de teste do Fashion-MNIST",
    "deploy.source_png": "Imagem de teste incluída (PNG)",
    "deploy.source_upload": "Enviar uma imagem",
    "deploy.test_image": "Imagem de teste nº",
    "deploy.title": "Implantar / Experimente",
    "deploy.top1_agreement": "mesma classe top-1 que o Keras",
    "deploy.training": "treino",
    "deploy.true_label": "Rótulo verdadeiro: **{truth}**",
    "deploy.upload_hint": "Fotos com fundo branco funcionam melhor.",
    "deploy.upload_label": (
        "Uma imagem de uma peça de roupa (PNG, JPEG, …; no máximo {limit} e 4096×4096 pixels)"),
    "deploy.upload_what": "O envio",
    "deploy.verify_unreadable": "`{filename}.verify.json` não pode ser lido: {err}",
    "deploy.wrong_output_shape": "esperadas 10 probabilidades, veio a forma {shape}",
    "deploy.yes": "sim",

    # pages/segmentation.py
    "segmentation.experiment_what": "O experimento de atalhos da U-Net",
    "segmentation.idea": (
        "Uma **U-Net** codifica a imagem até uma representação grosseira e semântica e a "
        "decodifica de volta numa máscara com uma classe por pixel. Seus atalhos **concatenam** "
        "as características de cada nível do codificador no nível do decodificador de mesma "
        "resolução, devolvendo os detalhes finos que o pooling descartou. Sem eles (mesmas "
        "camadas, sem concatenação) o decodificador precisa reconstruir cada borda só a partir "
        "do código grosseiro: as bordas borram e peças pequenas se perdem. As duas redes abaixo "
        "treinaram com o mesmo orçamento; os números e as cenas mostram o quanto valem os "
        "atalhos."),
    "segmentation.image": "imagem",
    "segmentation.iou_caption": (
        "**IoU** (interseção sobre união) de uma classe: os pixels a que a predição e a máscara "
        "verdadeira dão essa classe, divididos pelos pixels a que qualquer uma delas a dá — 1 é "
        "perfeito, 0 nenhuma sobreposição. O IoU médio de teste é a média das 11 classes (fundo "
        "incluído) em todas as cenas de teste. {short}o que importa aqui é a diferença que os "
        "atalhos fazem."),
    "segmentation.iou_with_skips": "IoU médio de teste com atalhos",
    "segmentation.iou_without_skips": "IoU médio de teste sem atalhos",
    "segmentation.loading_spinner": "Carregando as cenas…",
    "segmentation.no_scenes": (
        "O conjunto de teste fashion_scenes ainda não está disponível aqui ({reason})."),
    "segmentation.not_there_yet": "ainda não existe",
    "segmentation.scene": "Cena nº",
    "segmentation.scene_classes": "Classes nesta cena: {classes}",
    "segmentation.scene_iou": "{label}: IoU das peças nesta cena",
    "segmentation.scenes_caption": (
        "As cenas abaixo são as primeiras {count} do conjunto de teste, em ordem (sem escolha). "
        "Nelas o IoU das peças (as classes de roupa de cada cena, sem o fundo) tem média "
        "{unet_iou} para a U-Net e {noskip_iou} sem atalhos; a U-Net é melhor em {better} de "
        "{scenes} cenas."),
    "segmentation.schema_error": "`{path}` não segue o formato ({err!r}).",
    "segmentation.segmenting_spinner": "Segmentando as cenas…",
    "segmentation.budget": (
        "As duas U-Nets treinaram {epochs} épocas com {images} cenas geradas, um décimo delas "
        "reservado para validação (lote {batch}); "),
    "segmentation.title": "Segmentação: atalhos da U-Net",
    "segmentation.true_mask": "máscara verdadeira",
    "segmentation.u_net": "U-Net",
    "segmentation.without_skips": "sem atalhos",

    # pages/phone.py
    "phone.idea": (
        "A ResNet-20 int8 (309 KB) roda **no navegador do seu celular** com o LiteRT.js: a foto "
        "não sai do celular. O arquivo .tflite recebe o que uma câmera dá, pixels RGB 0..255 (a "
        "conversão para cinza e a escala estão dentro do grafo), então a página só redimensiona "
        "a foto. Ela mostra as 3 classes mais prováveis, suas probabilidades e a latência no "
        "aparelho. Tudo é servido por este app; nada vem da internet."),
    "phone.not_built": (
        "A página do celular ainda não foi montada: rode `bash web/build.sh` (`make app` roda)."),
    "phone.open_on_phone": (
        "**No celular** (mesma rede Wi-Fi): abra `http://<endereço deste computador>:8501{url}` "
        "— ou [abra aqui]({url}). \"Photo / camera\" abre a câmera do celular; a câmera ao vivo "
        "precisa de HTTPS ou localhost."),
    "phone.title": "Rode no seu celular",
}
