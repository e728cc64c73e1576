"""Tests for `keras.optimizers`: updates, state, names, config and errors against Keras 3.

Every expected number is recorded from Keras 3.15 (TensorFlow 2.21 backend): a float32
variable [1.0, -2.0, 0.5] (and, where named, a 2x2 "bias") updated with the gradients
below, one `apply` per step.
"""

import numpy as np
import pytest

import eagerflow as tf
from eagerflow.framework.indexed_slices import IndexedSlices
from eagerflow.keras import backend, optimizers
from eagerflow.keras.optimizers import schedules
from eagerflow.keras.variables import Variable

KERNEL = [1.0, -2.0, 0.5]
BIAS = [[0.3, -0.7], [1.5, 0.2]]
KERNEL_GRADS = [[0.1, -0.2, 0.3], [0.5, 0.0, -1.0], [-0.3, 0.2, 0.01]]
BIAS_GRADS = [[[0.4, -0.1], [0.0, 0.2]], [[-0.6, 0.3], [0.1, 0.0]], [[0.2, 0.2], [-0.5, 0.7]]]


@pytest.fixture(autouse=True)
def _fresh_names():
    backend.clear_session()  # default names start again at "adam", "sgd", ...


def _kernel():
    return Variable(np.array(KERNEL, "float32"), name="kernel")


def _bias():
    return Variable(np.array(BIAS, "float32"), name="bias")


def _close(actual, expected, tolerance=1e-6):
    np.testing.assert_allclose(np.asarray(actual, "float64"), expected, rtol=0,
                               atol=tolerance)


# --- updates against Keras ----------------------------------------------------------------

# recorded from Keras 3.15
ONE_VARIABLE_CASES = [
    pytest.param(lambda: optimizers.SGD(), [
        [0.9990000128746033, -1.9980000257492065, 0.4970000088214874],
        [0.9940000176429749, -1.9980000257492065, 0.5070000290870667],
        [0.9970000386238098, -2.0, 0.5069000124931335]],
        id='SGD()'),
    pytest.param(lambda: optimizers.SGD(momentum=0.9), [
        [0.9990000128746033, -1.9980000257492065, 0.4970000088214874],
        [0.9930999875068665, -1.9962000846862793, 0.5042999982833862],
        [0.9907900094985962, -1.9965801239013672, 0.5107700228691101]],
        id='SGD(momentum=0.9)'),
    pytest.param(lambda: optimizers.SGD(momentum=0.9, nesterov=True), [
        [0.9980999827384949, -1.9961999654769897, 0.4943000078201294],
        [0.9877899885177612, -1.9945799112319946, 0.5108699798583984],
        [0.9887109994888306, -1.9969218969345093, 0.5165929794311523]],
        id='SGD(momentum=0.9, nesterov=True)'),
    pytest.param(lambda: optimizers.SGD(learning_rate=0.1, clipnorm=0.3), [
        [0.9919821619987488, -1.9839643239974976, 0.47594648599624634],
        [0.9785657525062561, -1.9839643239974976, 0.5027793049812317],
        [1.0035176277160645, -2.000598907470703, 0.5019475817680359]],
        id='SGD(learning_rate=0.1, clipnorm=0.3)'),
    pytest.param(lambda: optimizers.SGD(learning_rate=0.1, clipvalue=0.2), [
        [0.9900000095367432, -1.9800000190734863, 0.47999998927116394],
        [0.9700000286102295, -1.9800000190734863, 0.5],
        [0.9900000095367432, -2.0, 0.49900001287460327]],
        id='SGD(learning_rate=0.1, clipvalue=0.2)'),
    pytest.param(lambda: optimizers.SGD(learning_rate=0.1, weight_decay=0.5), [
        [0.9399999976158142, -1.8799999952316284, 0.4449999928474426],
        [0.8429999947547913, -1.7860000133514404, 0.5227500200271606],
        [0.8308500051498413, -1.7166999578475952, 0.4956125319004059]],
        id='SGD(learning_rate=0.1, weight_decay=0.5)'),
    pytest.param(lambda: optimizers.RMSprop(), [
        [0.996837854385376, -1.9968377351760864, 0.4968377351760864],
        [0.9937310218811035, -1.9968377351760864, 0.49987924098968506],
        [0.9954000115394592, -1.9991881847381592, 0.4998471736907959]],
        id='RMSprop()'),
    pytest.param(lambda: optimizers.RMSprop(momentum=0.5, centered=True), [
        [0.9966668486595154, -1.996666669845581, 0.49666669964790344],
        [0.9916609525680542, -1.9950000047683716, 0.49811938405036926],
        [0.9908409118652344, -1.9965195655822754, 0.4988129734992981]],
        id='RMSprop(momentum=0.5, centered=True)'),
    pytest.param(lambda: optimizers.RMSprop(learning_rate=0.01, rho=0.8, epsilon=0.001), [
        [0.9817425608634949, -1.978918194770813, 0.47823572158813477],
        [0.9599415063858032, -1.978918194770813, 0.4997822344303131],
        [0.9721604585647583, -1.9957493543624878, 0.4995414912700653]],
        id='RMSprop(learning_rate=0.01, rho=0.8, epsilon=0.001)'),
    pytest.param(lambda: optimizers.Adam(), [
        [0.9990000128746033, -1.999000072479248, 0.49900001287460327],
        [0.998138964176178, -1.998329997062683, 0.49952033162117004],
        [0.9978894591331482, -1.9984158277511597, 0.4999164044857025]],
        id='Adam()'),
    pytest.param(lambda: optimizers.Adam(amsgrad=True), [
        [0.9990000128746033, -1.999000072479248, 0.49900001287460327],
        [0.998138964176178, -1.9983303546905518, 0.49952033162117004],
        [0.9978894591331482, -1.9984161853790283, 0.4999162256717682]],
        id='Adam(amsgrad=True)'),
    pytest.param(lambda: optimizers.Adam(learning_rate=0.1, beta_1=0.5, beta_2=0.9,
                                         epsilon=0.001), [
        [0.9030653238296509, -1.9015564918518066, 0.4010430872440338],
        [0.8043673634529114, -1.853918194770813, 0.47594153881073],
        [0.8084818124771118, -1.905749797821045, 0.5153916478157043]],
        id='Adam(learning_rate=0.1, beta_1=0.5, beta_2=0.9, epsilon=0.001)'),
    pytest.param(lambda: optimizers.Adam(learning_rate=0.1, global_clipnorm=0.5), [
        [0.9000037908554077, -1.9000022411346436, 0.4000017046928406],
        [0.8047266006469727, -1.8329981565475464, 0.4244929850101471],
        [0.8076555728912354, -1.8415848016738892, 0.4422348439693451]],
        id='Adam(learning_rate=0.1, global_clipnorm=0.5)'),
    pytest.param(lambda: optimizers.AdamW(), [
        [0.9989960193634033, -1.9989920854568481, 0.4989980161190033],
        [0.9981309771537781, -1.9983140230178833, 0.4995163381099701],
        [0.9978774785995483, -1.99839186668396, 0.4999104142189026]],
        id='AdamW()'),
    pytest.param(lambda: optimizers.AdamW(learning_rate=0.1, weight_decay=0.1, amsgrad=True), [
        [0.8900038003921509, -1.8800022602081299, 0.39500170946121216],
        [0.7950004935264587, -1.794231653213501, 0.443084180355072],
        [0.7620978951454163, -1.7848759889602661, 0.4782428741455078]],
        id='AdamW(learning_rate=0.1, weight_decay=0.1, amsgrad=True)'),
    pytest.param(lambda: optimizers.Adagrad(), [
        [0.9996984601020813, -1.9994654655456543, 0.49931174516677856],
        [0.9988651275634766, -1.9994654655456543, 0.5002284646034241],
        [0.9993123412132263, -1.999936819076538, 0.5002192854881287]],
        id='Adagrad()'),
    pytest.param(lambda: optimizers.Adagrad(learning_rate=0.1, initial_accumulator_value=0.5,
                                            epsilon=0.001), [
        [0.9860109090805054, -1.972808599472046, 0.46097639203071594],
        [0.9286946654319763, -1.972808599472046, 0.5402566194534302],
        [0.9612151384353638, -1.9990472793579102, 0.5394638180732727]],
        id='Adagrad(learning_rate=0.1, initial_accumulator_value=0.5, epsilon=0.001)'),
    pytest.param(lambda: optimizers.Adadelta(), [
        [0.9999985694885254, -1.9999985694885254, 0.4999985992908478],
        [0.9999966025352478, -1.9999985694885254, 0.500000536441803],
        [0.9999980330467224, -2.0, 0.500000536441803]],
        id='Adadelta()'),
    pytest.param(lambda: optimizers.Adadelta(learning_rate=1.0, rho=0.9, epsilon=1e-06), [
        [0.9968392848968506, -1.996838092803955, 0.49683788418769836],
        [0.9924467206001282, -1.996838092803955, 0.5011390447616577],
        [0.9957123398780823, -2.000077724456787, 0.5010769367218018]],
        id='Adadelta(learning_rate=1.0, rho=0.9, epsilon=1e-06)'),
    pytest.param(lambda: optimizers.Adamax(), [
        [0.9990000128746033, -1.9989999532699585, 0.49900001287460327],
        [0.9983789324760437, -1.9985257387161255, 0.49938422441482544],
        [0.9982082843780518, -1.9985958337783813, 0.49962320923805237]],
        id='Adamax()'),
    pytest.param(lambda: optimizers.Adamax(learning_rate=0.1, beta_1=0.8, beta_2=0.9,
                                           epsilon=0.001), [
        [0.9009900689125061, -1.900497555732727, 0.4003322124481201],
        [0.8366742134094238, -1.851387619972229, 0.44251224398612976],
        [0.8217710852622986, -1.8660683631896973, 0.46971336007118225]],
        id='Adamax(learning_rate=0.1, beta_1=0.8, beta_2=0.9, epsilon=0.001)'),
    pytest.param(lambda: optimizers.Nadam(), [
        [0.99893718957901, -1.9989372491836548, 0.4989372193813324],
        [0.9979212284088135, -1.9988651275634766, 0.4998951256275177],
        [0.9983777403831482, -1.9995665550231934, 0.49994486570358276]],
        id='Nadam()'),
    pytest.param(lambda: optimizers.Nadam(learning_rate=0.1, beta_1=0.8, beta_2=0.9,
                                          epsilon=0.001), [
        [0.8905803561210632, -1.8900359869003296, 0.38985326886177063],
        [0.7817909717559814, -1.8788440227508545, 0.4913649559020996],
        [0.829425573348999, -1.9562535285949707, 0.49988412857055664]],
        id='Nadam(learning_rate=0.1, beta_1=0.8, beta_2=0.9, epsilon=0.001)'),
    pytest.param(lambda: optimizers.Ftrl(), [
        [0.04623589664697647, -0.30915698409080505, 0.13657362759113312],
        [0.045402560383081436, -0.30915698409080505, 0.13749033212661743],
        [0.04584977403283119, -0.3096283972263336, 0.13748115301132202]],
        id='Ftrl()'),
    pytest.param(lambda: optimizers.Ftrl(learning_rate=0.1, learning_rate_power=-0.3,
                                         initial_accumulator_value=0.2,
                                         l1_regularization_strength=0.01,
                                         l2_regularization_strength=0.1,
                                         l2_shrinkage_regularization_strength=0.05, beta=0.5), [
        [-0.0086395014077425, -0.024220161139965057, 0.00031416918500326574],
        [-0.046678006649017334, -0.0240134559571743, 0.062836192548275],
        [-0.024206768721342087, -0.04044481739401817, 0.061818089336156845]],
        id="Ftrl(every argument)"),
    pytest.param(lambda: optimizers.Lion(), [
        [0.9990000128746033, -1.9989999532699585, 0.49900001287460327],
        [0.9980000257492065, -1.997999906539917, 0.5],
        [0.9990000128746033, -1.9989999532699585, 0.5009999871253967]],
        id='Lion()'),
    pytest.param(lambda: optimizers.Lion(learning_rate=0.1, beta_1=0.5, beta_2=0.9,
                                         weight_decay=0.1), [
        [0.8899999856948853, -1.8799999952316284, 0.39500001072883606],
        [0.7810999751091003, -1.761199951171875, 0.49105000495910645],
        [0.8732889890670776, -1.8435879945755005, 0.5861395001411438]],
        id='Lion(learning_rate=0.1, beta_1=0.5, beta_2=0.9, weight_decay=0.1)'),
    pytest.param(lambda: optimizers.Lamb(), [
        [0.998677134513855, -1.998677134513855, 0.498677134513855],
        [0.9970464110374451, -1.997408151626587, 0.4996625781059265],
        [0.9958469867706299, -1.9978208541870117, 0.5015664100646973]],
        id='Lamb()'),
    pytest.param(lambda: optimizers.Lamb(learning_rate=0.1, beta_1=0.5, beta_2=0.9,
                                         epsilon=0.001), [
        [0.8682233691215515, -1.867567777633667, 0.367347776889801],
        [0.7127037048339844, -1.7920668125152588, 0.4851565957069397],
        [0.7252222895622253, -1.9502325057983398, 0.6050531268119812]],
        id='Lamb(learning_rate=0.1, beta_1=0.5, beta_2=0.9, epsilon=0.001)'),
    pytest.param(lambda: optimizers.SGD(learning_rate=0.1, momentum=0.5, loss_scale_factor=4.0), [
        [0.9975000023841858, -1.9950000047683716, 0.4925000071525574],
        [0.9837499856948853, -1.9924999475479126, 0.5137500166893005],
        [0.984375, -1.9962499141693115, 0.5241250395774841]],
        id='SGD(learning_rate=0.1, momentum=0.5, loss_scale_factor=4.0)'),
    pytest.param(lambda: optimizers.Adam(learning_rate=0.1, gradient_accumulation_steps=2), [
        [1.0, -2.0, 0.5],
        [0.9000017046928406, -1.9000037908554077, 0.599998414516449],
        [0.9000017046928406, -1.9000037908554077, 0.599998414516449]],
        id='Adam(learning_rate=0.1, gradient_accumulation_steps=2)'),
    pytest.param(lambda: optimizers.SGD(learning_rate=0.5, use_ema=True, ema_momentum=0.5), [
        [0.949999988079071, -1.899999976158142, 0.3499999940395355],
        [0.699999988079071, -1.899999976158142, 0.8500000238418579],
        [0.8500000238418579, -2.0, 0.8450000286102295]],
        id='SGD(learning_rate=0.5, use_ema=True, ema_momentum=0.5)'),
    pytest.param(lambda: optimizers.SGD(learning_rate=0.5, use_ema=True, ema_momentum=0.5,
                                        ema_overwrite_frequency=2), [
        [0.949999988079071, -1.899999976158142, 0.3499999940395355],
        [0.824999988079071, -1.899999976158142, 0.6000000238418579],
        [0.9750000238418579, -2.0, 0.5950000286102295]],
        id='SGD(learning_rate=0.5, use_ema=True, ema_momentum=0.5, ema_overwrite_frequency=2)'),
    pytest.param(lambda: optimizers.SGD(learning_rate=schedules.ExponentialDecay(0.1, 1, 0.5)), [
        [0.9900000095367432, -1.9800000190734863, 0.4699999988079071],
        [0.9650000333786011, -1.9800000190734863, 0.5199999809265137],
        [0.9725000262260437, -1.9850000143051147, 0.5197499990463257]],
        id='SGD(learning_rate=ExponentialDecay(0.1, 1, 0.5))'),
    pytest.param(lambda: optimizers.Adam(learning_rate=lambda: 0.05), [
        [0.9500018954277039, -1.9500011205673218, 0.4500008523464203],
        [0.9069502949714661, -1.9164990186691284, 0.4760170876979828],
        [0.8944739699363708, -1.9207923412322998, 0.4958208501338959]],
        id='Adam(learning_rate=lambda: 0.05)'),
]

# recorded from Keras 3.15; each step: (kernel, bias).
TWO_VARIABLE_CASES = [
    pytest.param(lambda: optimizers.SGD(learning_rate=0.1, global_clipnorm=0.5), [
        ([0.991548478603363, -1.983096957206726, 0.47464537620544434],
         [[0.26619383692741394, -0.6915484666824341], [1.5, 0.18309691548347473]]),
        ([0.9724305272102356, -1.983096957206726, 0.512881338596344],
         [[0.2891353964805603, -0.7030192613601685], [1.4961763620376587, 0.18309691548347473]]),
        ([0.9878193736076355, -1.9933562278747559, 0.512368381023407],
         [[0.2788761556148529, -0.7132785320281982], [1.5218244791030884, 0.14718955755233765]])],
        id='SGD(learning_rate=0.1, global_clipnorm=0.5)'),
    pytest.param(lambda: optimizers.Adam(learning_rate=0.1, clipnorm=0.3), [
        ([0.9000046253204346, -1.9000025987625122, 0.40000197291374207],
         [[0.20000188052654266, -0.6000055074691772], [1.5, 0.10000308603048325]]),
        ([0.8017622828483582, -1.8329987525939941, 0.4107104539871216],
         [[0.2059350460767746, -0.6371117830276489], [1.4255924224853516, 0.03299955278635025]]),
        ([0.8156129121780396, -1.843083143234253, 0.4175109267234802],
         [[0.1992649883031845, -0.6894078850746155], [1.4724791049957275, -0.04808594286441803]])],
        id='Adam(learning_rate=0.1, clipnorm=0.3)'),
    pytest.param(lambda: optimizers.AdamW(learning_rate=0.1, weight_decay=0.5), [
        ([0.8500038385391235, -1.8000022172927856, 0.3750017285346985],
         [[0.18500147759914398, -0.5650037527084351], [1.4249999523162842, 0.09000224620103836]]),
        ([0.7214003801345825, -1.6429979801177979, 0.40828415751457214],
         [[0.20052123069763184, -0.5861715078353882], [1.2793394327163696, 0.018498040735721588]]),
        ([0.6603778004646301, -1.5694347620010376, 0.4274774491786957],
         [[0.1918618232011795, -0.6233022809028625], [1.2667384147644043, -0.05807056277990341]])],
        id='AdamW(learning_rate=0.1, weight_decay=0.5)'),
]

# recorded from Keras 3.15: AdamW(learning_rate=0.1, weight_decay=0.5), var_names=["bias"]
# excluded from weight decay; each step: (kernel, bias).
EXCLUDED_BIAS = [
        ([0.8500038385391235, -1.8000022172927856, 0.3750017285346985],
         [[0.20000146329402924, -0.6000038385391235], [1.5, 0.10000225156545639]]),
        ([0.7214003801345825, -1.6429979801177979, 0.40828415751457214],
         [[0.22477129101753235, -0.6494218111038208], [1.4255894422531128, 0.032998159527778625]]),
        ([0.6603778004646301, -1.5694347620010376, 0.4274774491786957],
         [[0.2261379510164261, -0.7158611416816711], [1.4769554138183594, -0.042645543813705444]])]


@pytest.mark.parametrize("make, expected", ONE_VARIABLE_CASES)
def test_first_three_updates_match_keras(make, expected):
    optimizer, kernel = make(), _kernel()
    for step, gradient in enumerate(KERNEL_GRADS):
        optimizer.apply([tf.constant(gradient)], [kernel])
        _close(kernel.numpy(), expected[step])
        assert kernel.dtype == tf.float32


@pytest.mark.parametrize("make, expected", TWO_VARIABLE_CASES)
def test_updates_of_two_variables_match_keras(make, expected):
    optimizer, kernel, bias = make(), _kernel(), _bias()
    for step, grads in enumerate(zip(KERNEL_GRADS, BIAS_GRADS)):
        optimizer.apply_gradients(zip([tf.constant(g) for g in grads], [kernel, bias]))
        _close(kernel.numpy(), expected[step][0])
        _close(bias.numpy(), expected[step][1])


@pytest.mark.parametrize("exclude", ["var_names", "var_list"])
def test_exclude_from_weight_decay_matches_keras(exclude):
    optimizer = optimizers.AdamW(learning_rate=0.1, weight_decay=0.5)
    kernel, bias = _kernel(), _bias()
    if exclude == "var_names":
        optimizer.exclude_from_weight_decay(var_names=["bias"])
    else:
        optimizer.exclude_from_weight_decay(var_list=[bias])
    for step, grads in enumerate(zip(KERNEL_GRADS, BIAS_GRADS)):
        optimizer.apply([tf.constant(g) for g in grads], [kernel, bias])
        _close(kernel.numpy(), EXCLUDED_BIAS[step][0])
        _close(bias.numpy(), EXCLUDED_BIAS[step][1])


def test_none_gradient_skips_its_variable_with_keras_warning():
    optimizer, kernel, bias = optimizers.Adam(learning_rate=0.1), _kernel(), _bias()
    with pytest.warns(UserWarning) as record:
        optimizer.apply([tf.constant(KERNEL_GRADS[0]), None], [kernel, bias])
    assert str(record[0].message) == (
        "Gradients do not exist for variables ['bias'] when minimizing the loss. If using "
        "`model.compile()`, did you forget to provide a `loss` argument?")
    _close(bias.numpy(), BIAS)
    with pytest.warns(UserWarning, match=r"\['kernel'\]"):
        optimizer.apply([None, tf.constant(BIAS_GRADS[0])], [kernel, bias])
    # recorded from Keras 3.15: the bias's first update is at step t = 2
    _close(kernel.numpy(), [0.9000037908554077, -1.9000022411346436, 0.4000017046928406])
    _close(bias.numpy(), [[0.2255876660346985, -0.6255893707275391],
                          [1.5, 0.12558823823928833]])
    assert int(optimizer.iterations) == 2


def test_no_gradient_at_all_raises_keras_error_and_keeps_iterations():
    optimizer, kernel = optimizers.SGD(), _kernel()
    with pytest.raises(ValueError, match=r"^No gradients provided for any variable\.$"):
        optimizer.apply([None], [kernel])
    with pytest.raises(ValueError, match="No gradients provided for any variable"):
        optimizer.apply_gradients([(None, kernel)])
    assert int(optimizer.iterations) == 0


def test_missing_gradient_of_a_tf_variable_is_named_by_its_name():
    with pytest.warns(UserWarning, match=r"\['extra:0'\]"):
        optimizers.SGD().apply([tf.constant([1.0]), None],
                               [tf.Variable([1.0]), tf.Variable([2.0], name="extra")])


def test_moving_average_state_and_finalize_match_keras():
    optimizer = optimizers.SGD(learning_rate=0.5, use_ema=True, ema_momentum=0.5)
    kernel = _kernel()
    for gradient in KERNEL_GRADS:
        optimizer.apply([tf.constant(gradient)], [kernel])
    # recorded from Keras 3.15
    assert [v.path for v in optimizer.variables] == [
        "sgd/iteration", "sgd/learning_rate", "sgd/kernel_average"]
    average = [0.8374999761581421, -1.9500000476837158, 0.7225000262260437]
    _close(optimizer.variables[2].numpy(), average)
    optimizer.finalize_variable_values([kernel])
    _close(kernel.numpy(), average)


def test_gradient_accumulation_state_matches_keras():
    optimizer = optimizers.Adam(learning_rate=0.1, gradient_accumulation_steps=2)
    kernel = _kernel()
    for gradient in KERNEL_GRADS:
        optimizer.apply([tf.constant(gradient)], [kernel])
    # recorded from Keras 3.15
    assert [v.path for v in optimizer.variables] == [
        "adam/iteration", "adam/learning_rate", "adam/kernel_gradient_accumulator",
        "adam/kernel_momentum", "adam/kernel_velocity"]
    values = [v.numpy() for v in optimizer.variables]
    assert int(values[0]) == 3 and int(optimizer.iterations) == 1
    _close(values[2], [-0.30000001192092896, 0.20000000298023224, 0.009999999776482582])
    _close(values[3], [0.030000001192092896, -0.010000000707805157, -0.03500000014901161])
    _close(values[4], [9.000000864034519e-05, 1.0000001566368155e-05, 0.00012250000145286322])


def test_nadam_momentum_product_matches_keras():
    optimizer, kernel = optimizers.Nadam(), _kernel()
    for gradient in KERNEL_GRADS:
        optimizer.apply([tf.constant(gradient)], [kernel])
    # recorded from Keras 3.15
    assert [v.path for v in optimizer.variables] == [
        "nadam/iteration", "nadam/learning_rate", "nadam/kernel_momentum",
        "nadam/kernel_velocity", "nadam/variable"]
    _close(optimizer.variables[2].numpy(),
           [0.023100003600120544, 0.0038000009953975677, -0.06470000743865967])
    _close(optimizer.variables[3].numpy(),
           [0.00034972550929524004, 7.991901657078415e-05, 0.001088906079530716])
    _close(optimizer.variables[4].numpy(), 0.11397992819547653)


def test_float64_variables_keep_float64():
    optimizer = optimizers.Adam()
    kernel = Variable(np.array(KERNEL), dtype="float64", name="kernel")
    for gradient in KERNEL_GRADS:
        optimizer.apply([tf.constant(np.array(gradient))], [kernel])
    # recorded from Keras 3.15
    _close(kernel.numpy(), [0.9978894777737041, -1.998415845402967, 0.4999164178357142],
           tolerance=1e-12)
    assert [v.dtype.name for v in optimizer.variables] == [
        "int64", "float32", "float64", "float64"]
    assert kernel.numpy().dtype == np.float64


@pytest.mark.parametrize("cls", [optimizers.SGD, optimizers.RMSprop, optimizers.Adam,
                                 optimizers.AdamW, optimizers.Adagrad, optimizers.Adadelta,
                                 optimizers.Adamax, optimizers.Nadam, optimizers.Ftrl,
                                 optimizers.Lion, optimizers.Lamb])
def test_float32_stays_float32(cls):
    optimizer, kernel, bias = cls(), _kernel(), _bias()
    for grads in zip(KERNEL_GRADS, BIAS_GRADS):
        optimizer.apply([tf.constant(g) for g in grads], [kernel, bias])
    assert kernel.numpy().dtype == np.float32 and bias.numpy().dtype == np.float32
    assert all(v.numpy().dtype == np.float32 for v in optimizer.variables[1:])


@pytest.mark.parametrize("make", [
    lambda: optimizers.SGD(0.1, momentum=0.9, nesterov=True),
    lambda: optimizers.RMSprop(0.01, momentum=0.5, centered=True),
    lambda: optimizers.RMSprop(0.01),
    lambda: optimizers.Adam(0.01, amsgrad=True),
    lambda: optimizers.Adam(0.01)], ids=["sgd", "rmsprop_centered", "rmsprop", "amsgrad", "adam"])
def test_cache_sized_blocks_give_the_whole_array_update(make, monkeypatch, rng):
    # A kernel larger than one block is updated piecewise (also with a transposed,
    # non-contiguous gradient); the numbers equal one whole-array pass bit for bit.
    from eagerflow.ops import training_ops
    start = rng.standard_normal((300, 310)).astype("float32")
    grads = [rng.standard_normal((310, 300)).astype("float32").T for _ in range(3)]
    grads[1] = np.ascontiguousarray(grads[1])

    def run():
        optimizer, kernel = make(), Variable(start, name="kernel")
        for grad in grads:
            optimizer.apply([grad], [kernel])
        return kernel.numpy(), [v.numpy() for v in optimizer.variables]

    blocked = run()
    monkeypatch.setattr(training_ops, "_BLOCK", start.size)
    whole = run()
    np.testing.assert_array_equal(blocked[0], whole[0])
    for ours, theirs in zip(blocked[1], whole[1]):
        np.testing.assert_array_equal(ours, theirs)
    assert not np.array_equal(blocked[0], start)


def test_indexed_slices_gradient_updates_like_its_dense_form():
    # Keras 3.15 (TensorFlow backend) gives the same numbers for unique indices.
    def run(sparse):
        table = Variable(np.arange(8, dtype="float32").reshape(4, 2), name="embedding")
        optimizer = optimizers.Adam(learning_rate=0.1)
        for step in range(3):
            slices = IndexedSlices(tf.constant(np.full((2, 2), 0.5 + step, "float32")),
                                   tf.constant([step, 3 - step]), tf.constant([4, 2]))
            optimizer.apply([slices if sparse else tf.convert_to_tensor(slices)], [table])
        return table.numpy()
    np.testing.assert_array_equal(run(sparse=True), run(sparse=False))


def test_numpy_gradients_are_accepted():
    kernel = _kernel()
    optimizers.SGD(learning_rate=0.5).apply([np.array([1.0, 1.0, 1.0], "float32")], [kernel])
    _close(kernel.numpy(), [0.5, -2.5, 0.0])


def test_constraint_is_applied_after_the_update():
    kernel = Variable(np.array([1.0, 1.0], "float32"), name="kernel",
                      constraint=lambda w: tf.maximum(w, 0.0))
    optimizers.SGD(learning_rate=1.0).apply([tf.constant([2.0, -1.0])], [kernel])
    assert kernel.numpy().tolist() == [0.0, 2.0]


def test_overwrite_with_gradient_variable_takes_the_gradient_and_has_no_slots():
    scale = Variable(np.array([1.0, 1.0], "float32"), name="scale",
                     overwrite_with_gradient=True)
    optimizer = optimizers.Adam()
    optimizer.apply([tf.constant([5.0, 6.0]), tf.constant(KERNEL_GRADS[0])], [scale, _kernel()])
    assert scale.numpy().tolist() == [5.0, 6.0]
    # recorded from Keras 3.15 (with "w" for "kernel")
    assert [v.path for v in optimizer.variables] == [
        "adam/iteration", "adam/learning_rate", "adam/kernel_momentum", "adam/kernel_velocity"]


def test_training_a_quadratic_with_a_tape_converges():
    w = Variable(np.array([0.0, 5.0], "float32"), name="w")
    optimizer = optimizers.Adam(learning_rate=0.1)
    for _ in range(300):
        with tf.GradientTape() as tape:
            loss = tf.reduce_sum(tf.square(w - tf.constant([3.0, -1.0])))
        optimizer.apply_gradients(zip(tape.gradient(loss, [w]), [w]))
    _close(w.numpy(), [3.0, -1.0], tolerance=1e-2)


# --- apply and apply_gradients --------------------------------------------------------------

def test_apply_gradients_returns_iterations():
    optimizer, kernel = optimizers.SGD(), _kernel()
    iterations = optimizer.apply_gradients(zip([tf.constant(KERNEL_GRADS[0])], [kernel]))
    assert iterations is optimizer.iterations and int(iterations) == 1


def test_apply_nothing_is_a_no_op():
    optimizer = optimizers.SGD()
    assert optimizer.apply([]) is None
    assert int(optimizer.iterations) == 0 and not optimizer.built


def test_apply_without_variables_uses_the_built_ones():
    optimizer, kernel = optimizers.SGD(learning_rate=1.0), _kernel()
    optimizer.build([kernel])
    optimizer.apply([tf.constant([1.0, 1.0, 1.0])])
    _close(kernel.numpy(), [0.0, -3.0, -0.5])


def test_apply_without_variables_before_build_raises():
    with pytest.raises(ValueError, match="When passing `grads` without `variables`, the "
                                         "optimizer must already be built"):
        optimizers.SGD().apply([tf.constant([1.0])])


def test_apply_to_an_unknown_variable_raises():
    optimizer = optimizers.SGD()
    optimizer.apply([tf.constant(KERNEL_GRADS[0])], [_kernel()])
    with pytest.raises(ValueError, match="Unknown variable: .* This optimizer can only be "
                                         "called for the variables it was originally built"):
        optimizer.apply([tf.constant([1.0])], [Variable(np.array([1.0], "float32"))])


def test_apply_with_mismatched_lengths_raises():
    with pytest.raises(ValueError, match="received 1 gradients for 2 variables"):
        optimizers.SGD().apply([tf.constant(KERNEL_GRADS[0])], [_kernel(), _bias()])


# --- names, variables and their paths -------------------------------------------------------

# recorded from Keras 3.15: default names and the slots made for a variable "kernel"
SLOTS = [
    (optimizers.SGD, "sgd", []),
    (optimizers.RMSprop, "rm_sprop", ["kernel_velocity"]),
    (optimizers.Adam, "adam", ["kernel_momentum", "kernel_velocity"]),
    (optimizers.AdamW, "adam_w", ["kernel_momentum", "kernel_velocity"]),
    (optimizers.Adagrad, "adagrad", ["kernel_accumulator"]),
    (optimizers.Adadelta, "adadelta", ["kernel_accumulated_grad", "kernel_accumulated_delta_var"]),
    (optimizers.Adamax, "adamax", ["kernel_momentum", "kernel_norm"]),
    (optimizers.Nadam, "nadam", ["kernel_momentum", "kernel_velocity", "variable"]),
    (optimizers.Ftrl, "ftrl", ["kernel_accumulator", "kernel_linear"]),
    (optimizers.Lion, "lion", ["kernel_momentum"]),
    (optimizers.Lamb, "lamb", ["kernel_momentum", "kernel_velocity"]),
]


@pytest.mark.parametrize("cls, name, slots", SLOTS, ids=[s[1] for s in SLOTS])
def test_default_names_and_variable_paths_match_keras(cls, name, slots):
    optimizer = cls()
    assert optimizer.name == name and cls().name == f"{name}_1"
    optimizer.apply([tf.constant(KERNEL_GRADS[0])], [_kernel()])
    assert [v.path for v in optimizer.variables] == [
        f"{name}/{slot}" for slot in ["iteration", "learning_rate"] + slots]
    assert optimizer.iterations.dtype == tf.int64 and not optimizer.iterations.trainable


# recorded from Keras 3.15: slots are made variable by variable, one slot kind at a time
@pytest.mark.parametrize("make, paths", [
    (lambda: optimizers.Adam(amsgrad=True), [
        "kernel_momentum", "kernel_velocity", "bias_momentum", "bias_velocity",
        "kernel_velocity_hat", "bias_velocity_hat"]),
    (lambda: optimizers.RMSprop(momentum=0.5, centered=True), [
        "kernel_velocity", "bias_velocity", "kernel_momentum", "bias_momentum",
        "kernel_average_gradient", "bias_average_gradient"]),
    (lambda: optimizers.SGD(use_ema=True, gradient_accumulation_steps=2, momentum=0.5), [
        "kernel_average", "bias_average", "kernel_gradient_accumulator",
        "bias_gradient_accumulator", "kernel_momentum", "bias_momentum"]),
])
def test_slot_order_matches_keras(make, paths):
    optimizer = make()
    optimizer.build([_kernel(), _bias()])
    prefix = optimizer.name + "/"
    assert [v.path for v in optimizer.variables][2:] == [prefix + p for p in paths]


def test_slots_of_layer_weights_and_tf_variables_are_named_like_keras():
    from eagerflow.keras import layers
    dense = layers.Dense(2)
    dense.build((None, 3))
    optimizer = optimizers.Adam()
    optimizer.build(dense.trainable_variables)
    # recorded from Keras 3.15
    assert [v.path for v in optimizer.variables][2:] == [
        "adam/dense_kernel_momentum", "adam/dense_kernel_velocity",
        "adam/dense_bias_momentum", "adam/dense_bias_velocity"]
    optimizer = optimizers.SGD(momentum=0.5)
    optimizer.apply([tf.constant([1.0])], [tf.Variable([1.0])])
    assert optimizer.variables[-1].path == "sgd/Variable_0_momentum"


def test_save_and_load_own_variables_round_trip():
    optimizer, kernel = optimizers.Adam(), _kernel()
    optimizer.apply([tf.constant(KERNEL_GRADS[0])], [kernel])
    store = {}
    optimizer.save_own_variables(store)
    assert sorted(store) == ["0", "1", "2", "3"] and int(store["0"]) == 1
    restored = optimizers.Adam()
    restored.build([kernel])
    restored.load_own_variables(store)
    for saved, loaded in zip(optimizer.variables, restored.variables):
        np.testing.assert_array_equal(saved.numpy(), loaded.numpy())
    with pytest.warns(UserWarning, match="Skipping variable loading for optimizer 'adam_2'"):
        optimizers.Adam().load_own_variables(store)


def test_set_weights():
    optimizer = optimizers.SGD(momentum=0.5)
    with pytest.raises(ValueError, match="has not yet been built"):
        optimizer.set_weights([])
    optimizer.build([_kernel()])
    optimizer.set_weights([np.array(4), np.array(0.5, "float32"), np.ones(3, "float32")])
    assert int(optimizer.iterations) == 4 and float(optimizer.learning_rate) == 0.5
    assert optimizer.variables[2].numpy().tolist() == [1.0, 1.0, 1.0]


# --- the learning rate ----------------------------------------------------------------------

def test_learning_rate_is_an_assignable_float32_variable():
    optimizer, kernel = optimizers.SGD(learning_rate=0.1), _kernel()
    assert isinstance(optimizer.learning_rate, tf.Variable)
    assert optimizer.learning_rate.path == "sgd/learning_rate"
    assert optimizer.learning_rate.dtype == tf.float32
    assert float(optimizer.learning_rate) == float(np.float32(0.1))
    optimizer.learning_rate = 0.5
    assert optimizer.get_config()["learning_rate"] == 0.5
    optimizer.learning_rate.assign(0.25)
    optimizer.apply([tf.constant([4.0, 4.0, 4.0])], [kernel])
    _close(kernel.numpy(), [0.0, -3.0, -0.5])
    assert optimizer.get_config()["learning_rate"] == 0.25


def test_schedule_learning_rate_is_its_value_at_iterations():
    schedule = schedules.ExponentialDecay(0.1, 1, 0.5)
    optimizer = optimizers.SGD(learning_rate=schedule)
    assert [v.path for v in optimizer.variables] == ["sgd/iteration"]
    optimizer.apply([tf.constant(KERNEL_GRADS[0])], [_kernel()])
    rate = optimizer.learning_rate
    assert isinstance(rate, tf.Tensor) and rate.dtype == tf.float32
    assert float(rate) == float(np.float32(0.05))
    with pytest.raises(TypeError, match="hence its learning rate is not settable"):
        optimizer.learning_rate = 0.3


def test_setting_a_schedule_replaces_the_learning_rate_variable():
    optimizer = optimizers.SGD(learning_rate=0.1)
    optimizer.learning_rate = schedules.PiecewiseConstantDecay([1], [0.5, 0.25])
    assert [v.path for v in optimizer.variables] == ["sgd/iteration"]
    assert float(optimizer.learning_rate) == 0.5


def test_callable_learning_rate_is_called_without_arguments():
    optimizer = optimizers.Adam(learning_rate=lambda: 0.05)
    assert optimizer.learning_rate == 0.05
    assert [v.path for v in optimizer.variables] == ["adam/iteration"]


@pytest.mark.parametrize("learning_rate", [1, "0.1", None, True])
def test_learning_rate_must_be_a_float(learning_rate):
    with pytest.raises(ValueError, match="Argument `learning_rate` should be float, or an "
                                         "instance of LearningRateSchedule"):
        optimizers.SGD(learning_rate=learning_rate)


# --- config and serialization ---------------------------------------------------------------

BASE_CONFIG = {"weight_decay": None, "clipnorm": None, "global_clipnorm": None,
               "clipvalue": None, "use_ema": False, "ema_momentum": 0.99,
               "ema_overwrite_frequency": None, "loss_scale_factor": None,
               "gradient_accumulation_steps": None}
LR_1E_3 = 0.0010000000474974513

# recorded from Keras 3.15: get_config() of each optimizer made with default arguments
DEFAULT_CONFIGS = [
    (optimizers.SGD, {"name": "sgd", "learning_rate": 0.009999999776482582, **BASE_CONFIG,
                      "momentum": 0.0, "nesterov": False}),
    (optimizers.RMSprop, {"name": "rm_sprop", "learning_rate": LR_1E_3, **BASE_CONFIG,
                          "rho": 0.9, "momentum": 0.0, "epsilon": 1e-07, "centered": False}),
    (optimizers.Adam, {"name": "adam", "learning_rate": LR_1E_3, **BASE_CONFIG, "beta_1": 0.9,
                       "beta_2": 0.999, "epsilon": 1e-07, "amsgrad": False}),
    (optimizers.AdamW, {"name": "adam_w", "learning_rate": LR_1E_3,
                        **{**BASE_CONFIG, "weight_decay": 0.004}, "beta_1": 0.9,
                        "beta_2": 0.999, "epsilon": 1e-07, "amsgrad": False}),
    (optimizers.Adagrad, {"name": "adagrad", "learning_rate": LR_1E_3, **BASE_CONFIG,
                          "initial_accumulator_value": 0.1, "epsilon": 1e-07}),
    (optimizers.Adadelta, {"name": "adadelta", "learning_rate": LR_1E_3, **BASE_CONFIG,
                           "rho": 0.95, "epsilon": 1e-07}),
    (optimizers.Adamax, {"name": "adamax", "learning_rate": LR_1E_3, **BASE_CONFIG,
                         "beta_1": 0.9, "beta_2": 0.999, "epsilon": 1e-07}),
    (optimizers.Nadam, {"name": "nadam", "learning_rate": LR_1E_3, **BASE_CONFIG,
                        "beta_1": 0.9, "beta_2": 0.999, "epsilon": 1e-07}),
    (optimizers.Ftrl, {"name": "ftrl", "learning_rate": LR_1E_3, **BASE_CONFIG,
                       "learning_rate_power": -0.5, "initial_accumulator_value": 0.1,
                       "l1_regularization_strength": 0.0, "l2_regularization_strength": 0.0,
                       "l2_shrinkage_regularization_strength": 0.0, "beta": 0.0}),
    (optimizers.Lion, {"name": "lion", "learning_rate": LR_1E_3, **BASE_CONFIG,
                       "beta_1": 0.9, "beta_2": 0.99}),
    (optimizers.Lamb, {"name": "lamb", "learning_rate": LR_1E_3, **BASE_CONFIG,
                       "beta_1": 0.9, "beta_2": 0.999, "epsilon": 1e-07}),
]


@pytest.mark.parametrize("cls, expected", DEFAULT_CONFIGS, ids=[c[1]["name"] for c in
                                                                  DEFAULT_CONFIGS])
def test_default_config_matches_keras_and_round_trips(cls, expected):
    config = cls().get_config()
    assert config == expected and list(config) == list(expected)
    restored = cls.from_config(config)
    assert type(restored) is cls and restored.get_config() == expected


def test_non_default_config_round_trips_through_serialize():
    optimizer = optimizers.Adam(learning_rate=schedules.CosineDecay(0.1, 100, alpha=0.1),
                                amsgrad=True, clipnorm=1.0, weight_decay=0.01, name="mine")
    config = optimizers.serialize(optimizer)
    # recorded from Keras 3.15 (the format; the values are this optimizer's)
    assert config["module"] == "keras.optimizers" and config["class_name"] == "Adam"
    assert config["registered_name"] is None
    assert config["config"]["learning_rate"] == {
        "module": "keras.optimizers.schedules", "class_name": "CosineDecay",
        "config": {"initial_learning_rate": 0.1, "decay_steps": 100, "alpha": 0.1,
                   "name": "CosineDecay", "warmup_target": None, "warmup_steps": 0},
        "registered_name": None}
    restored = optimizers.deserialize(config)
    assert isinstance(restored, optimizers.Adam)
    assert isinstance(restored._learning_rate, schedules.CosineDecay)
    assert optimizers.serialize(restored) == config


def test_custom_optimizer_round_trips_with_custom_objects():
    class Halving(optimizers.SGD):
        pass

    config = optimizers.serialize(Halving(learning_rate=0.5))
    assert config["registered_name"] == "Halving"
    restored = optimizers.deserialize(config, custom_objects={"Halving": Halving})
    assert type(restored) is Halving and float(restored.learning_rate) == 0.5


@pytest.mark.parametrize("identifier, cls", [
    ("adam", optimizers.Adam), ("Adam", optimizers.Adam), ("ADAM", optimizers.Adam),
    ("sgd", optimizers.SGD), ("SGD", optimizers.SGD), ("rmsprop", optimizers.RMSprop),
    ("RMSprop", optimizers.RMSprop), ("adamw", optimizers.AdamW),
    ("AdamW", optimizers.AdamW), ("adagrad", optimizers.Adagrad),
    ("adadelta", optimizers.Adadelta), ("adamax", optimizers.Adamax),
    ("nadam", optimizers.Nadam), ("ftrl", optimizers.Ftrl), ("lion", optimizers.Lion),
    ("lamb", optimizers.Lamb),
    ({"class_name": "SGD", "config": {"learning_rate": 0.5, "momentum": 0.5}},
     optimizers.SGD),
])
def test_get_resolves_names_case_insensitively_and_configs(identifier, cls):
    optimizer = optimizers.get(identifier)
    assert type(optimizer) is cls
    if isinstance(identifier, dict):
        assert float(optimizer.learning_rate) == 0.5 and optimizer.momentum == 0.5


def test_get_returns_instances_unchanged_and_none_as_none():
    optimizer = optimizers.Adam()
    assert optimizers.get(optimizer) is optimizer
    assert optimizers.get(None) is None


@pytest.mark.parametrize("identifier", ["nope", 3, optimizers.Adam,
                                        {"class_name": "Nope", "config": {}}])
def test_get_rejects_unknown_identifiers(identifier):
    with pytest.raises(ValueError, match="Could not interpret optimizer identifier"):
        optimizers.get(identifier)


def test_docstrings_carry_the_shared_arguments():
    for cls, _, _ in SLOTS:
        assert "global_clipnorm:" in cls.__doc__ and "{{" not in cls.__doc__


# --- argument errors ------------------------------------------------------------------------

@pytest.mark.parametrize("make, message", [
    (lambda: optimizers.SGD(clipnorm=1.0, clipvalue=1.0),
     "Only one of `clipnorm`, `clipvalue` and `global_clipnorm` can be set. Received: "
     "clipnorm=1.0, clipvalue=1.0, global_clipnorm=None"),
    (lambda: optimizers.SGD(foo=1.0), "Argument(s) not recognized: {'foo': 1.0}"),
    (lambda: optimizers.SGD(momentum=1), "`momentum` must be a float between [0, 1]."),
    (lambda: optimizers.SGD(momentum=1.5), "`momentum` must be a float between [0, 1]."),
    (lambda: optimizers.AdamW(weight_decay=None),
     "Argument `weight_decay` must be a float. Received: weight_decay=None"),
    (lambda: optimizers.SGD(gradient_accumulation_steps=1),
     "`gradient_accumulation_steps` must be an integer >= 2. Received: "
     "gradient_accumulation_steps=1"),
    (lambda: optimizers.SGD(use_ema=True, ema_momentum=2),
     "`ema_momentum` must be in the range [0, 1]. Received: ema_momentum=2"),
    (lambda: optimizers.SGD(use_ema=True, ema_overwrite_frequency=0.5),
     "`ema_overwrite_frequency` must be an integer >= 1 or None. Received: "
     "ema_overwrite_frequency=0.5"),
    (lambda: optimizers.Ftrl(initial_accumulator_value=-1.0),
     "`initial_accumulator_value` needs to be positive or zero. Received: "
     "initial_accumulator_value=-1.0."),
    (lambda: optimizers.Ftrl(learning_rate_power=0.5),
     "`learning_rate_power` needs to be negative or zero. Received: learning_rate_power=0.5."),
    (lambda: optimizers.Ftrl(l2_shrinkage_regularization_strength=-0.1),
     "`l2_shrinkage_regularization_strength` needs to be positive or zero. Received: "
     "l2_shrinkage_regularization_strength=-0.1."),
    (lambda: optimizers.Lion(beta_1=0.0),
     "Argument `beta_1` must be in the [0, 1] range. Otherwise, the optimizer degenerates "
     "to SignSGD. Received: beta_1=0.0."),
])
def test_bad_arguments_raise_keras_errors(make, message):
    # recorded from Keras 3.15
    with pytest.raises(ValueError) as error:
        make()
    assert str(error.value) == message


def test_decay_argument_warns_and_is_ignored():
    with pytest.warns(UserWarning, match="Argument `decay` is no longer supported"):
        optimizers.SGD(decay=0.1)


def test_scale_loss():
    assert optimizers.Adam().scale_loss(3.0) == 3.0
    assert optimizers.Adam(loss_scale_factor=2.0).scale_loss(3.0) == 6.0
